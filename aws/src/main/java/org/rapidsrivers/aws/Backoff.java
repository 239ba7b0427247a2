package org.rapidsrivers.aws;

import java.util.concurrent.ThreadLocalRandom;

/** Understands how long to wait before trying failed entries again: exponential, with full jitter, capped. */
final class Backoff {
    private static final long BASE_MILLIS = 25;
    private static final long CAP_MILLIS = 2_000;

    private Backoff() {
    }

    static void sleep(int attempt) {
        long ceiling = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
