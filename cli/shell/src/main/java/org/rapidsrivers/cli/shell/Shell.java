package org.rapidsrivers.cli.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.rapidsrivers.cli.session.Errors;
import org.rapidsrivers.cli.session.Session;

/** Understands whether rr was started to talk to a person at a terminal or to run a script from standard input, by standard input alone. */
public final class Shell {
    private final Session session;

    public Shell(Session session) {
        this.session = session;
    }

    public int run() {
        try {
            session.backendWithPlanes();
        } catch (RuntimeException cannotOpen) {
            return new Errors(session).report(cannotOpen);
        }
        if (standardInputIsTerminal()) {
            return new InteractiveShell(session).run();
        }
        CharsetDecoder strictUtf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader script = new BufferedReader(new InputStreamReader(System.in, strictUtf8))) {
            return new ScriptRunner(session).run(script);
        } catch (IOException | RuntimeException e) {
            return new Errors(session).report(e);
        }
    }

    /**
     * The mode depends on standard input alone: {@code rr | tee log} is still a person at a
     * terminal. Java only tells whether both ends are terminals, so ask test(1), as a shell would.
     */
    private static boolean standardInputIsTerminal() {
        try {
            Process test = new ProcessBuilder("test", "-t", "0")
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return test.waitFor() == 0;
        } catch (IOException e) {
            return System.console() != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.console() != null;
        }
    }
}
