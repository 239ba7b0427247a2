package org.rapidsrivers.embedded;

import java.time.Duration;

/**
 * Understands how threads of one process tell each other that something was written, so a waiting
 * reader or host wakes at once instead of at its next poll. Other processes are found by polling.
 */
final class Doorbell {
    private long rings;

    synchronized long rings() {
        return rings;
    }

    synchronized void ring() {
        rings++;
        notifyAll();
    }

    /** Waits until the bell rings after {@code seen}, or the timeout passes. */
    synchronized void awaitAfter(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (rings == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }
}
