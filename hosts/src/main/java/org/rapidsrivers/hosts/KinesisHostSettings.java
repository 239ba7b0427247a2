package org.rapidsrivers.hosts;

import java.time.Duration;

/**
 * Understands the knobs of the local host over Kinesis: pages of up to 500 records per GetRecords
 * (which spreads a call's fixed cost over more events), handed to the handler 100 at a time (Lambda's
 * default batch), each invocation checkpointed when it succeeds so that a host killed mid fan-out
 * publishes at most 100 records of a shard again; and a bounded number of attempts, as an
 * on-failure destination needs.
 */
public record KinesisHostSettings(int batchSize, int invocationSize, int maxAttempts, Duration retryBackoff,
                                  Duration leaseTtl, Duration minIdlePoll, Duration maxIdlePoll,
                                  Duration invocationTimeout, Duration drainOnClose) {
    public static KinesisHostSettings defaults() {
        return new KinesisHostSettings(500, 100, 3, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMillis(20),
                Duration.ofMillis(200), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    public KinesisHostSettings withBatchSize(int size) {
        return new KinesisHostSettings(size, Math.min(size, invocationSize), maxAttempts, retryBackoff, leaseTtl,
                minIdlePoll, maxIdlePoll, invocationTimeout, drainOnClose);
    }

    public KinesisHostSettings withRetryBackoff(Duration backoff) {
        return new KinesisHostSettings(batchSize, invocationSize, maxAttempts, backoff, leaseTtl, minIdlePoll,
                maxIdlePoll, invocationTimeout, drainOnClose);
    }
}
