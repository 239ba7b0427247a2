package org.rapidsrivers.hosts.aws;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.streams.KinesisShards;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.LeaseTable;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.hosts.HostSettings;
import org.rapidsrivers.hosts.HostedStream;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Understands one Kinesis stream as a host reads it for emulators that cannot run Java Lambdas: a page
 * per GetRecords, handed to the function in the deployed mappings' batches, each checkpointed in the
 * lease table when it succeeds (fenced by the lease), so a host killed mid fan-out publishes at most
 * one batch of a shard again; a record given up on goes to the plane's dead-letter queue as the record
 * Lambda sends an on-failure destination (its place in the stream; the data stays in the stream).
 */
final class KinesisSource implements HostedStream {
    private static final Duration RELIST = Duration.ofSeconds(30);

    private final KinesisClient kinesis;
    private final DynamoLeases leases;
    private final String stage;
    private final String stream;
    private final String consumer;
    private final StreamProcessor function;
    private final HostSettings settings;
    private final Consumer<String> onFailure;
    private final Clock clock;
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private final Object idle = new Object();
    private long listedAtNanos;
    private boolean listed;
    private String streamArn;

    KinesisSource(KinesisClient kinesis, DynamoLeases leases, String stage, String stream, String consumer,
                  StreamProcessor function, HostSettings settings, Consumer<String> onFailure, Clock clock) {
        this.kinesis = kinesis;
        this.leases = leases;
        this.stage = stage;
        this.stream = stream;
        this.consumer = consumer;
        this.function = function;
        this.settings = settings;
        this.onFailure = onFailure;
        this.clock = clock;
    }

    @Override
    public String describe() {
        return consumer + " on " + stream;
    }

    @Override
    public LeaseTable leases() {
        return leases;
    }

    @Override
    public String leaseName() {
        return stream + "#" + consumer;
    }

    @Override
    public List<String> shards() {
        long now = System.nanoTime();
        if (!listed || now - listedAtNanos >= RELIST.toNanos()) {
            listed = true;
            listedAtNanos = now;
            for (Shard shard : KinesisShards.of(kinesis, stream, stage)) {
                shards.computeIfAbsent(shard.shardId(), id -> new ShardState());
            }
        }
        return new ArrayList<>(shards.keySet());
    }

    @Override
    public boolean mayHaveWork(String shard) {
        return !shards.get(shard).finished;
    }

    @Override
    public BatchOutcome runBatch(String shardId, int limit, LeaseTable.Fence fence) {
        ShardState shard = shards.get(shardId);
        if (shard.iterator == null) {
            shard.iterator = leases.checkpoint(stream, consumer, shardId)
                    .map(seq -> iterator(shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, seq))
                    .orElseGet(() -> iterator(shardId, ShardIteratorType.TRIM_HORIZON, null));
        }
        String iterator = shard.iterator;
        GetRecordsResponse page = call("kinesis:GetRecords", () -> kinesis.getRecords(b -> b.shardIterator(iterator).limit(limit)));
        List<Record> records = page.records();
        if (records.isEmpty()) {
            shard.iterator = page.nextShardIterator();
            shard.finished = shard.iterator == null;
            return BatchOutcome.NOTHING;
        }
        boolean progressed = false;
        int size = settings.batchSize();
        for (int from = 0; from < records.size(); from += size) {
            List<StreamRecord> batch = records.subList(from, Math.min(records.size(), from + size)).stream()
                    .map(r -> streamRecord(shardId, r)).toList();
            shard.lastBatch = batch;
            BatchResult result;
            try {
                result = function.process(batch);
            } catch (RuntimeException threw) {
                shard.iterator = null;
                return BatchOutcome.threw(batch.get(0).sequenceNumber(), threw.getClass().getSimpleName() + ": "
                        + threw.getMessage(), progressed);
            }
            if (!result.succeeded()) {
                return failed(shard, shardId, batch, result, fence, progressed);
            }
            if (!leases.checkpoint(stream, consumer, shardId, batch.get(batch.size() - 1).sequenceNumber(), fence)) {
                shard.iterator = null;
                return BatchOutcome.FENCED;
            }
            progressed = true;
        }
        shard.iterator = page.nextShardIterator();
        return BatchOutcome.DONE;
    }

    /** Resumes at the lowest failed record: the checkpoint just before it, the iterator at it. */
    private BatchOutcome failed(ShardState shard, String shardId, List<StreamRecord> batch, BatchResult result,
                                LeaseTable.Fence fence, boolean progressed) {
        BigInteger lowest = result.failedSequenceNumbers().stream().map(BigInteger::new)
                .min(BigInteger::compareTo).orElseThrow();
        Optional<String> before = batch.stream().map(StreamRecord::sequenceNumber)
                .filter(s -> new BigInteger(s).compareTo(lowest) < 0).reduce((a, b) -> b);
        if (before.isPresent() && !leases.checkpoint(stream, consumer, shardId, before.get(), fence)) {
            shard.iterator = null;
            return BatchOutcome.FENCED;
        }
        shard.iterator = iterator(shardId, ShardIteratorType.AT_SEQUENCE_NUMBER, lowest.toString());
        return result.stageUnreachable() ? BatchOutcome.unreachable(result.reason(), progressed || before.isPresent())
                : BatchOutcome.failed(lowest.toString(), result.reason(), progressed || before.isPresent());
    }

    @Override
    public Optional<StreamRecord> giveUp(String shardId, Optional<String> sequenceNumber, String reason, LeaseTable.Fence fence) {
        ShardState shard = shards.get(shardId);
        Optional<StreamRecord> stuck = shard.lastBatch.stream()
                .filter(r -> sequenceNumber.map(r.sequenceNumber()::equals).orElse(true)).findFirst();
        if (stuck.isEmpty()) {
            return Optional.empty();
        }
        // as Lambda does: the record's place in the stream to the on-failure destination, the reason to the log
        onFailure.accept(OnFailureRecord.of(streamArn(), consumer, stuck.get(), settings.maxAttempts(), clock.instant()));
        if (!leases.checkpoint(stream, consumer, shardId, stuck.get().sequenceNumber(), fence)) {
            shard.iterator = null;
            return Optional.empty();
        }
        shard.iterator = iterator(shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, stuck.get().sequenceNumber());
        return stuck;
    }

    @Override
    public void lostLease() {
        shards.values().forEach(s -> s.iterator = null);
    }

    @Override
    public void upkeep(HostSettings settings) {
        // Kinesis keeps its own retention
    }

    @Override
    public long ticket() {
        return 0;
    }

    @Override
    public void awaitWork(long ticket, Duration timeout) throws InterruptedException {
        synchronized (idle) {
            idle.wait(Math.max(1, timeout.toMillis()));
        }
    }

    @Override
    public void wake() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /** The stream's ARN, asked once: the events handed to the function and the on-failure records name it. */
    String streamArn() {
        if (streamArn == null) {
            streamArn = call("kinesis:DescribeStreamSummary", () -> kinesis.describeStreamSummary(b -> b.streamName(stream))
                    .streamDescriptionSummary().streamARN());
        }
        return streamArn;
    }

    private String iterator(String shardId, ShardIteratorType type, String sequenceNumber) {
        return call("kinesis:GetShardIterator", () -> kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(type).startingSequenceNumber(sequenceNumber)).shardIterator());
    }

    private <T> T call(String action, Supplier<T> call) {
        return AwsErrors.call(action, "Kinesis stream " + stream, stage, call);
    }

    private static StreamRecord streamRecord(String shardId, Record record) {
        return new StreamRecord(shardId, record.sequenceNumber(), record.partitionKey(), record.data().asByteArray(),
                record.approximateArrivalTimestamp());
    }

    /** Understands where the host is in one shard: its iterator, whether it is used up, the last batch handed over. */
    private static final class ShardState {
        String iterator;
        boolean finished;
        List<StreamRecord> lastBatch = List.of();
    }
}
