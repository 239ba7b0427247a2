package org.rapidsrivers.hosts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.LeaseTable;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.embedded.EmbeddedStreams;

/**
 * Understands one embedded stream as a host reads it: a batch, the function run on it and the new
 * checkpoint commit in one write transaction that the lease fences, so a batch is processed exactly
 * once, crash or no crash; the record given up on is buried and passed in one transaction too.
 */
final class EmbeddedSource implements HostedStream {
    private final EmbeddedStreams streams;
    private final String stream;
    private final String consumer;
    private final StreamProcessor function;
    private final DeadLetters onFailure;

    EmbeddedSource(EmbeddedStreams streams, String stream, String consumer, StreamProcessor function, DeadLetters onFailure) {
        this.streams = streams;
        this.stream = stream;
        this.consumer = consumer;
        this.function = function;
        this.onFailure = onFailure;
    }

    @Override
    public String describe() {
        return consumer + " on " + stream;
    }

    @Override
    public LeaseTable leases() {
        return streams.leases();
    }

    @Override
    public String leaseName() {
        return "host:" + stream;
    }

    @Override
    public List<String> shards() {
        return streams.shardIds();
    }

    @Override
    public boolean mayHaveWork(String shard) {
        return streams.hasRecordsAfter(stream, shard, streams.checkpoint(stream, consumer, shard));
    }

    @Override
    public BatchOutcome runBatch(String shard, int limit, LeaseTable.Fence fence) {
        Attempt attempt = new Attempt();
        try {
            Optional<BatchOutcome> outcome = streams.atomically(fence, () -> {
                long checkpoint = streams.checkpoint(stream, consumer, shard);
                List<StreamRecord> batch = streams.read(stream, shard, checkpoint, limit);
                if (batch.isEmpty()) {
                    return BatchOutcome.NOTHING;
                }
                attempt.first = batch.get(0).sequenceNumber();
                BatchResult result;
                try {
                    result = function.process(batch);
                } catch (RuntimeException threw) {
                    throw new FunctionThrew(threw);
                }
                if (result.succeeded()) {
                    streams.checkpoint(stream, consumer, shard, seq(batch.get(batch.size() - 1)));
                    return BatchOutcome.DONE;
                }
                long firstFailed = result.failedSequenceNumbers().stream().mapToLong(Long::parseLong).min().orElseThrow();
                long before = batch.stream().mapToLong(EmbeddedSource::seq).filter(s -> s < firstFailed).max().orElse(checkpoint);
                streams.checkpoint(stream, consumer, shard, before);
                return result.stageUnreachable() ? BatchOutcome.unreachable(result.reason(), before > checkpoint)
                        : BatchOutcome.failed(Long.toString(firstFailed), result.reason(), before > checkpoint);
            });
            return outcome.orElse(BatchOutcome.FENCED);
        } catch (FunctionThrew threw) {
            return BatchOutcome.threw(attempt.first, threw.getCause().getClass().getSimpleName() + ": "
                    + threw.getCause().getMessage(), false);
        }
    }

    @Override
    public Optional<StreamRecord> giveUp(String shard, Optional<String> sequenceNumber, String reason, LeaseTable.Fence fence) {
        return streams.atomically(fence, () -> {
            long after = sequenceNumber.map(seq -> Long.parseLong(seq) - 1).orElse(streams.checkpoint(stream, consumer, shard));
            Optional<StreamRecord> stuck = streams.read(stream, shard, after, 1).stream()
                    .filter(r -> sequenceNumber.map(r.sequenceNumber()::equals).orElse(true)).findFirst();
            stuck.ifPresent(record -> {
                onFailure.bury(record, reason);
                streams.checkpoint(stream, consumer, shard, seq(record));
            });
            return stuck.orElse(null);
        });
    }

    @Override
    public void lostLease() {
        // nothing is kept between batches: every batch starts from the checkpoint
    }

    @Override
    public void upkeep(HostSettings settings) {
        streams.trimOlderThan(stream, Instant.now().minus(settings.retention()));
    }

    @Override
    public long ticket() {
        return streams.appends(stream);
    }

    @Override
    public void awaitWork(long ticket, Duration timeout) throws InterruptedException {
        streams.awaitAppend(stream, ticket, timeout);
    }

    @Override
    public void wake() {
        streams.wake(stream);
    }

    private static long seq(StreamRecord record) {
        return Long.parseLong(record.sequenceNumber());
    }

    /** Understands what one attempt saw before the function threw. */
    private static final class Attempt {
        String first;
    }

    /** Understands the function throwing: the transaction rolls back, and the host bisects. */
    static final class FunctionThrew extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FunctionThrew(RuntimeException cause) {
            super(cause);
        }
    }
}
