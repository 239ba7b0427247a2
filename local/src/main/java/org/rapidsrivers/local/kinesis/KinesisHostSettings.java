package org.rapidsrivers.local.kinesis;

import java.time.Duration;

/**
 * Understands the knobs of the local host over Kinesis, with a Lambda event source mapping's defaults
 * where one exists (batch size 100) and a bounded number of attempts, as an on-failure destination needs.
 */
public record KinesisHostSettings(int batchSize, int maxAttempts, Duration retryBackoff, Duration leaseTtl,
                                  Duration minIdlePoll, Duration maxIdlePoll, Duration invocationTimeout,
                                  Duration drainOnClose) {
    public static KinesisHostSettings defaults() {
        return new KinesisHostSettings(100, 3, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMillis(20),
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
