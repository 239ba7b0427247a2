package org.rapidsrivers.embedded;

import java.time.Clock;

/** Understands how a background host reports trouble: on standard error, at most every ten seconds, never a flood. */
public final class Complaints {
    private static final long QUIET_MILLIS = 10_000;
    private final String who;
    private final Clock clock;
    private long lastMillis = -QUIET_MILLIS;

    public Complaints(String who, Clock clock) {
        this.who = who;
        this.clock = clock;
    }

    public synchronized void say(String problem) {
        long now = clock.millis();
        if (now - lastMillis >= QUIET_MILLIS) {
            lastMillis = now;
            System.err.println("rr: " + who + ": " + problem);
        }
    }
}
