package org.rapidsrivers.hosts;

/** Understands how a background host reports trouble: on standard error, at most every ten seconds, never a flood. */
final class Complaints {
    private static final long QUIET_NANOS = 10_000_000_000L;
    private final String who;
    private long lastNanos;
    private boolean said;

    Complaints(String who) {
        this.who = who;
    }

    synchronized void say(String problem) {
        long now = System.nanoTime();
        if (!said || now - lastNanos >= QUIET_NANOS) {
            said = true;
            lastNanos = now;
            System.err.println("rr: " + who + ": " + problem);
        }
    }
}
