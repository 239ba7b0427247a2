package org.rapidsrivers.embedded;

import java.time.Duration;

/**
 * Understands the knobs of a local host, with the defaults of a Lambda event source mapping where
 * one exists: batch size, how long a lease lasts, how often an idle host looks, how many attempts
 * a failing record gets, and how long a stream keeps its records.
 */
public record HostSettings(int batchSize, Duration leaseTtl, Duration minIdlePoll, Duration maxIdlePoll,
                           int maxAttempts, Duration retryBackoff, Duration retention) {
    public static HostSettings defaults() {
        return new HostSettings(100, Duration.ofSeconds(3), Duration.ofMillis(5), Duration.ofMillis(50),
                3, Duration.ofMillis(100), Duration.ofHours(24));
    }

    public HostSettings withLeaseTtl(Duration ttl) {
        return new HostSettings(batchSize, ttl, minIdlePoll, maxIdlePoll, maxAttempts, retryBackoff, retention);
    }

    public HostSettings withBatchSize(int size) {
        return new HostSettings(size, leaseTtl, minIdlePoll, maxIdlePoll, maxAttempts, retryBackoff, retention);
    }
}
