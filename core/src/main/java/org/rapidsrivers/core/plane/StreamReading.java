package org.rapidsrivers.core.plane;

/**
 * Understands how a plane reads its stream, as an event source mapping's settings say it: what the stage's
 * templates give both planes' mappings, the local hosts read with, and the tests of the templates check.
 */
public record StreamReading(int batchSize, int maximumRetryAttempts, boolean bisectOnError,
                            int maximumRecordAgeSeconds, int parallelizationFactor) {
    /**
     * How both planes read their stream: batches of 100 (Lambda's default, and what a host killed
     * mid-batch may publish again), failures reported per record, a failing batch halved down to the
     * failing record, 2 retries (3 attempts in all) within an hour, then the plane's on-failure queue.
     */
    public static final StreamReading PLANES = new StreamReading(100, 2, true, 3600, 1);

    /** Attempts in all: the first and the retries. */
    public int attempts() {
        return maximumRetryAttempts + 1;
    }
}
