package org.rapidsrivers.hosts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.rapidsrivers.core.plane.StreamReading;

/**
 * Understands the knobs of a host that runs a function over a stream the way an event source mapping
 * does, with the deployed mappings' batch size and attempts (StreamReading.PLANES) wherever they
 * apply: how many records a read takes (a page), how many one invocation gets (a batch), the attempts
 * and backoff of a failing record, the lease's time-to-live, how often an idle host looks, how long an
 * invocation may run, how long closing drains, and how long the embedded log keeps its records. On an
 * emulated AWS stage the host also runs the deployed services, as Lambda would, with the code of the jars
 * given ({@code serviceJars}; {@code --service-jar}, {@code RR_SERVICE_JARS}) beside rr's own.
 */
public record HostSettings(int pageSize, int batchSize, int maxAttempts, Duration retryBackoff, Duration leaseTtl,
                           Duration minIdlePoll, Duration maxIdlePoll, Duration invocationTimeout, Duration drainOnClose,
                           Duration retention, List<Path> serviceJars) {
    public HostSettings {
        serviceJars = List.copyOf(serviceJars);
    }

    /**
     * Over the embedded log: a page is a batch; a short lease, since taking one costs a local write. An idle
     * host looks at most every 250 ms: an append, by this process or another, rings its stream's bell at once.
     */
    public static HostSettings embedded() {
        StreamReading reading = StreamReading.PLANES;
        return new HostSettings(reading.batchSize(), reading.batchSize(), reading.attempts(), Duration.ofMillis(100),
                Duration.ofSeconds(3), Duration.ofMillis(5), Duration.ofMillis(250), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofHours(24), List.of());
    }

    /**
     * Over Kinesis: pages of 500 records (which spreads a GetRecords call's cost), handed to the handler
     * in the mappings' batches, each checkpointed when it succeeds, so a host killed mid fan-out publishes
     * at most one batch of a shard again; idle polls no faster than Kinesis's five reads a second per shard.
     */
    public static HostSettings kinesis() {
        StreamReading reading = StreamReading.PLANES;
        return new HostSettings(500, reading.batchSize(), reading.attempts(), Duration.ofMillis(200),
                Duration.ofSeconds(10), Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofHours(24), List.of());
    }

    public HostSettings withLeaseTtl(Duration ttl) {
        return new HostSettings(pageSize, batchSize, maxAttempts, retryBackoff, ttl, minIdlePoll, maxIdlePoll,
                invocationTimeout, drainOnClose, retention, serviceJars);
    }

    /** Pages and batches of this size. */
    public HostSettings withBatchSize(int size) {
        return new HostSettings(size, size, maxAttempts, retryBackoff, leaseTtl,
                minIdlePoll, maxIdlePoll, invocationTimeout, drainOnClose, retention, serviceJars);
    }

    public HostSettings withRetryBackoff(Duration backoff) {
        return new HostSettings(pageSize, batchSize, maxAttempts, backoff, leaseTtl, minIdlePoll, maxIdlePoll,
                invocationTimeout, drainOnClose, retention, serviceJars);
    }

    /** With the code of these jars for the deployed services it runs. */
    public HostSettings withServiceJars(List<Path> jars) {
        return new HostSettings(pageSize, batchSize, maxAttempts, retryBackoff, leaseTtl, minIdlePoll, maxIdlePoll,
                invocationTimeout, drainOnClose, retention, jars);
    }

    /** As a deployed mapping reads: its batch size and attempts, and its function's timeout. */
    public HostSettings asDeployed(int mappingBatchSize, int attempts, Duration functionTimeout) {
        return new HostSettings(Math.max(pageSize, mappingBatchSize), mappingBatchSize, attempts, retryBackoff, leaseTtl,
                minIdlePoll, maxIdlePoll, functionTimeout, drainOnClose, retention, serviceJars);
    }
}
