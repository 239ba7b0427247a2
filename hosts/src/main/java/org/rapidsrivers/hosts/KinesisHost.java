package org.rapidsrivers.hosts;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.KinesisShards;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.embedded.Complaints;
import org.rapidsrivers.embedded.ShardRetries;
import org.rapidsrivers.core.plane.StreamRecord;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Understands how to run a plane's Lambda handler over a Kinesis stream the way a Lambda event source
 * mapping does, for emulators that cannot run Java Lambdas: it reads each shard with GetRecords,
 * hands the handler a {@code KinesisEvent} built like Lambda's, checkpoints after success, resumes
 * from the lowest batch item failure, halves the batch after an exception (bisecting down to the
 * failing record), and after the last attempt sends that record to the on-failure destination so the
 * shard moves on. Checkpoints and the stream's lease live in DynamoDB, so a restarted host goes on
 * where it stopped and two hosts never process a stream at once.
 */
public final class KinesisHost implements AutoCloseable {
    private final KinesisClient kinesis;
    private final DynamoHostState state;
    private final String stage;
    private final String stream;
    private final String function;
    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final java.util.function.Consumer<String> onFailure;
    private final PlaneLog log;
    private final KinesisHostSettings settings;
    private final String owner;
    private final String region;
    private final Clock clock;
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private String streamArn;
    private long leaseHeldUntil;
    private long shardsListedAt;
    private final Complaints complaints;
    private volatile boolean running;
    private Thread thread;

    KinesisHost(KinesisClient kinesis, DynamoHostState state, String stage, String stream, String function,
                RequestHandler<KinesisEvent, StreamsEventResponse> handler, java.util.function.Consumer<String> onFailure,
                KinesisHostSettings settings, String owner, String region, Clock clock) {
        this.kinesis = kinesis;
        this.state = state;
        this.stage = stage;
        this.stream = stream;
        this.function = function;
        this.handler = handler;
        this.onFailure = onFailure;
        this.log = PlaneLog.of(stage, function);
        this.settings = settings;
        this.owner = owner;
        this.region = region;
        this.clock = clock;
        this.complaints = new Complaints(function + " on " + stream, clock);
    }

    void start() {
        running = true;
        thread = new Thread(this::run, "rr-kinesis-host-" + stream);
        thread.setDaemon(true);
        thread.start();
    }

    /** One pass over every shard; true if any record was handed to the handler. */
    boolean pollOnce() {
        if (!holdLease()) {
            return false;
        }
        refreshShards();
        boolean worked = false;
        for (ShardState shard : shards.values()) {
            if (!shard.finished && shard.retries.due(clock.millis())) {
                worked |= poll(shard);
            }
        }
        return worked;
    }

    private boolean poll(ShardState shard) {
        if (shard.iterator == null) {
            shard.iterator = startingIterator(shard);
        }
        String iterator = shard.iterator;
        GetRecordsResponse page = AwsErrors.call("kinesis:GetRecords", "Kinesis stream " + stream, stage,
                () -> kinesis.getRecords(b -> b.shardIterator(iterator).limit(shard.retries.batchLimit())));
        List<Record> records = page.records();
        if (records.isEmpty()) {
            shard.iterator = page.nextShardIterator();
            shard.finished = shard.iterator == null;
            return false;
        }
        // Invocations smaller than the page, each checkpointed when it succeeds: a host killed mid
        // fan-out republishes at most one invocation's records, not the whole page.
        int size = settings.invocationSize();
        for (int from = 0; from < records.size(); from += size) {
            List<Record> invocation = records.subList(from, Math.min(records.size(), from + size));
            Optional<Failure> failure = invoke(shard, invocation);
            if (failure.isPresent()) {
                handle(shard, invocation, failure.get());
                return true;
            }
            checkpoint(shard, invocation.get(invocation.size() - 1).sequenceNumber());
        }
        shard.iterator = page.nextShardIterator();
        shard.retries.succeeded();
        return true;
    }

    private Optional<Failure> invoke(ShardState shard, List<Record> records) {
        StreamsEventResponse response;
        try {
            response = handler.handleRequest(event(shard.shardId, records),
                    new HostContext(function, settings.invocationTimeout().toMillis()));
        } catch (RuntimeException error) {
            return Optional.of(new Failure(null, error.getClass().getSimpleName() + ": " + error.getMessage()));
        }
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return Optional.empty();
        }
        String lowest = response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .min((a, b) -> new BigInteger(a).compareTo(new BigInteger(b))).orElseThrow();
        return Optional.of(new Failure(lowest, "the handler reported batch item failures from " + lowest));
    }

    /** Resumes from the lowest failed record, or bisects after an exception; gives up on a record after the last attempt. */
    private void handle(ShardState shard, List<Record> records, Failure failure) {
        if (failure.sequenceNumber() == null && shard.retries.bisect()) {
            restartAfterCheckpoint(shard);
            complaints.say(failure.reason() + " (bisecting: next batch of " + shard.retries.batchLimit() + ")");
            return;
        }
        String failed = failure.sequenceNumber() != null ? failure.sequenceNumber() : records.get(0).sequenceNumber();
        BigInteger failedAt = new BigInteger(failed);
        records.stream().map(Record::sequenceNumber).filter(s -> new BigInteger(s).compareTo(failedAt) < 0)
                .reduce((a, b) -> b).ifPresent(before -> checkpoint(shard, before));
        int attempts = shard.retries.failed(failed);
        if (attempts < settings.maxAttempts()) {
            shard.retries.retryLater(clock.millis(), settings.retryBackoff());
            shard.iterator = iterator(shard.shardId, ShardIteratorType.AT_SEQUENCE_NUMBER, failed);
            complaints.say(failure.reason() + " (attempt " + attempts + " of " + settings.maxAttempts() + ")");
            return;
        }
        Record giveUp = records.stream().filter(r -> r.sequenceNumber().equals(failed)).findFirst().orElseThrow();
        // as Lambda does: the batch's place in the stream to the on-failure destination, the reason to the log
        String reason = "gave up after " + settings.maxAttempts() + " attempts: " + failure.reason();
        log.deadLettered(streamRecord(shard.shardId, giveUp), reason);
        onFailure.accept(OnFailureRecord.of(streamArn(), function, shard.shardId, giveUp, settings.maxAttempts(),
                clock.instant()));
        checkpoint(shard, failed);
        shard.iterator = iterator(shard.shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, failed);
        shard.retries.succeeded();
    }

    private KinesisEvent event(String shardId, List<Record> records) {
        List<KinesisEvent.KinesisEventRecord> eventRecords = new ArrayList<>();
        for (Record record : records) {
            KinesisEvent.Record kinesisRecord = new KinesisEvent.Record();
            kinesisRecord.setKinesisSchemaVersion("1.0");
            kinesisRecord.setPartitionKey(record.partitionKey());
            kinesisRecord.setSequenceNumber(record.sequenceNumber());
            kinesisRecord.setData(record.data().asByteBuffer());
            kinesisRecord.setApproximateArrivalTimestamp(record.approximateArrivalTimestamp() == null ? new Date()
                    : Date.from(record.approximateArrivalTimestamp()));
            KinesisEvent.KinesisEventRecord eventRecord = new KinesisEvent.KinesisEventRecord();
            eventRecord.setKinesis(kinesisRecord);
            eventRecord.setEventSource("aws:kinesis");
            eventRecord.setEventVersion("1.0");
            eventRecord.setEventID(shardId + ":" + record.sequenceNumber());
            eventRecord.setEventName("aws:kinesis:record");
            eventRecord.setInvokeIdentityArn("arn:aws:iam::000000000000:role/" + function);
            eventRecord.setAwsRegion(region);
            eventRecord.setEventSourceARN(streamArn());
            eventRecords.add(eventRecord);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(eventRecords);
        return event;
    }

    private static StreamRecord streamRecord(String shardId, Record record) {
        return new StreamRecord(shardId, record.sequenceNumber(), record.partitionKey(), record.data().asByteArray(),
                record.approximateArrivalTimestamp());
    }

    private boolean holdLease() {
        long now = clock.millis();
        if (leaseHeldUntil - now > settings.leaseTtl().toMillis() / 2) {
            return true;
        }
        if (state.holdOrTake(leaseName(), owner, settings.leaseTtl())) {
            leaseHeldUntil = now + settings.leaseTtl().toMillis();
            return true;
        }
        leaseHeldUntil = 0;
        shards.values().forEach(s -> s.iterator = null);
        return false;
    }

    private void refreshShards() {
        long now = clock.millis();
        if (!shards.isEmpty() && now - shardsListedAt < Duration.ofSeconds(30).toMillis()) {
            return;
        }
        shardsListedAt = now;
        for (Shard shard : KinesisShards.of(kinesis, stream, stage)) {
            shards.computeIfAbsent(shard.shardId(), id -> new ShardState(id, settings.batchSize()));
        }
    }

    private String startingIterator(ShardState shard) {
        Optional<String> checkpoint = state.checkpoint(checkpointKey(shard.shardId));
        return checkpoint.map(seq -> iterator(shard.shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, seq))
                .orElseGet(() -> iterator(shard.shardId, ShardIteratorType.TRIM_HORIZON, null));
    }

    private void restartAfterCheckpoint(ShardState shard) {
        shard.iterator = null;
    }

    private String iterator(String shardId, ShardIteratorType type, String sequenceNumber) {
        return AwsErrors.call("kinesis:GetShardIterator", "Kinesis stream " + stream, stage,
                () -> kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId).shardIteratorType(type)
                        .startingSequenceNumber(sequenceNumber)).shardIterator());
    }

    private void checkpoint(ShardState shard, String sequenceNumber) {
        state.checkpoint(checkpointKey(shard.shardId), sequenceNumber);
    }

    private String streamArn() {
        if (streamArn == null) {
            streamArn = AwsErrors.call("kinesis:DescribeStreamSummary", "Kinesis stream " + stream, stage,
                    () -> kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN());
        }
        return streamArn;
    }

    private String leaseName() {
        return stream + "#" + function;
    }

    private String checkpointKey(String shardId) {
        return org.rapidsrivers.aws.KinesisLag.checkpointId(stream, function, shardId);
    }

    private void run() {
        Duration idle = settings.minIdlePoll();
        while (running) {
            boolean worked;
            try {
                worked = pollOnce();
            } catch (RuntimeException error) {
                complaints.say(error.getMessage());
                shards.values().forEach(s -> s.iterator = null);
                worked = false;
            }
            if (worked) {
                idle = settings.minIdlePoll();
                continue;
            }
            try {
                Thread.sleep(idle.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            idle = idle.multipliedBy(2).compareTo(settings.maxIdlePoll()) > 0 ? settings.maxIdlePoll() : idle.multipliedBy(2);
        }
    }

    /** Stops; when it holds the lease it first hands the handler what is waiting, then lets the lease go. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            // no interrupt: it would abort an SDK call half way; the loop sleeps at most maxIdlePoll
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            long deadline = System.nanoTime() + settings.drainOnClose().toNanos();
            while (System.nanoTime() < deadline && pollOnce()) {
                // drain, so a one-shot command leaves nothing half-done
            }
            if (leaseHeldUntil > 0) {
                state.release(leaseName(), owner);
            }
        } catch (RuntimeException closing) {
            complaints.say("while stopping: " + closing.getMessage());
        }
    }

    /** Understands where the host is in one shard: its iterator, whether it is used up, and its retries. */
    private static final class ShardState {
        final String shardId;
        final ShardRetries retries;
        String iterator;
        boolean finished;

        ShardState(String shardId, int batchLimit) {
            this.shardId = shardId;
            this.retries = new ShardRetries(batchLimit);
        }
    }

    /** Understands what went wrong with a batch: from which record (none for an exception), and why. */
    private record Failure(String sequenceNumber, String reason) {
    }
}
