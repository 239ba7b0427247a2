package org.rapidsrivers.local.kinesis;

import java.time.Duration;

/**
 * Understands the knobs of the local host over Kinesis: batches of 500 records (Lambda allows up to
 * 10,000; 500 spreads the fixed cost of a batch, its GetRecords and checkpoint, over more events, and is
 * what the planes' event source mappings should use too), and a bounded number of attempts, as an
 * on-failure destination needs.
 */
public record KinesisHostSettings(int batchSize, int maxAttempts, Duration retryBackoff, Duration leaseTtl,
                                  Duration minIdlePoll, Duration maxIdlePoll, Duration invocationTimeout,
                                  Duration drainOnClose) {
    public static KinesisHostSettings defaults() {
        return new KinesisHostSettings(500, 3, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMillis(20),
                Duration.ofMillis(200), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    public KinesisHostSettings withBatchSize(int size) {
        return new KinesisHostSettings(size, maxAttempts, retryBackoff, leaseTtl, minIdlePoll, maxIdlePoll,
                invocationTimeout, drainOnClose);
    }

    public KinesisHostSettings withRetryBackoff(Duration backoff) {
        return new KinesisHostSettings(batchSize, maxAttempts, backoff, leaseTtl, minIdlePoll, maxIdlePoll,
                invocationTimeout, drainOnClose);
    }
}
