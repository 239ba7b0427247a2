package org.rapidsrivers.hosts;

import java.time.Duration;
import org.rapidsrivers.aws.StageResources;

/**
 * Understands the knobs of the local host over Kinesis: pages of up to 500 records per GetRecords
 * (which spreads a call's fixed cost over more events), handed to the handler in batches and with
 * attempts as the deployed event source mappings do (StageResources.READING: 100, 3 attempts), each
 * invocation checkpointed when it succeeds so that a host killed mid fan-out publishes at most one
 * batch of a shard again.
 */
public record KinesisHostSettings(int batchSize, int invocationSize, int maxAttempts, Duration retryBackoff,
                                  Duration leaseTtl, Duration minIdlePoll, Duration maxIdlePoll,
                                  Duration invocationTimeout, Duration drainOnClose) {
    /** Read the way the deployed event source mappings read (StageResources.READING). */
    public static KinesisHostSettings defaults() {
        StageResources.StreamReading reading = StageResources.READING;
        return new KinesisHostSettings(500, reading.batchSize(), reading.attempts(), Duration.ofMillis(200),
                Duration.ofSeconds(10), Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(60),
                Duration.ofSeconds(10));
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
