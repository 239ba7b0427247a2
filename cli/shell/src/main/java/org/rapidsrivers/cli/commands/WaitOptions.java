package org.rapidsrivers.cli.commands;

import java.time.Duration;
import org.rapidsrivers.core.InvalidInput;
import picocli.CommandLine.Option;

/** Understands how long a control command waits for the control plane to apply it. */
public final class WaitOptions {
    @Option(names = "--no-wait", description = "Send the command and return without waiting for the outcome.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "<seconds>", defaultValue = "10",
            description = "How long to wait for the outcome (default: ${DEFAULT-VALUE} s).")
    int timeoutSeconds = 10;

    boolean waits() {
        return !noWait;
    }

    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new InvalidInput("--timeout must be between 1 and 900 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}
