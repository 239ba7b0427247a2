package org.rapidsrivers.core.ports;

import java.time.Duration;

/**
 * Understands how long a river's message stays hidden from other readers once received, for each kind of
 * reader, and why: the one place these are chosen. The shell, the runner, the deployer and the template's
 * default read them from here (the template by a test that compares).
 */
public final class Visibility {
    /**
     * A service's own reader (rr service, a service's main): short, since a running handler's messages are kept
     * hidden by a heartbeat every third of it, so what a killed instance held comes back within seconds.
     */
    public static final int SERVICE_SECONDS = 10;
    public static final String SERVICE_TEXT = SERVICE_SECONDS + "s";
    public static final Duration SERVICE = Duration.ofSeconds(SERVICE_SECONDS);

    /** The shell's readfrom: a person's reader prints a batch and then deletes it, with no heartbeat. */
    public static final Duration SHELL = Duration.ofSeconds(30);

    /**
     * A deployed service's river, read by Lambda's event source mapping: six times the function's default
     * timeout (30 s), as AWS advises, so a throttled batch is not handed out twice (and at least the timeout,
     * or AWS refuses the mapping).
     */
    public static final int FUNCTION_SECONDS = 180;
    public static final String FUNCTION_SECONDS_TEXT = "" + FUNCTION_SECONDS;
    public static final Duration FUNCTION = Duration.ofSeconds(FUNCTION_SECONDS);

    private Visibility() {
    }
}
