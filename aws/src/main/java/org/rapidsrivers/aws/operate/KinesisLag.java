package org.rapidsrivers.aws.operate;

import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.streams.KinesisShards;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.ConsumerLag;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Understands how far a locally hosted plane is behind on each shard: its checkpoint (kept by the host
 * in the stage's lease table) against the stream, read with one page of up to {@value #PAGE} records, so
 * "records behind" is exact up to that and a lower bound past it. A shard no local host has checkpointed
 * (the planes run in deployed Lambdas, whose lag is the mappings' IteratorAge metric, or nobody runs them)
 * has an unknown lag, shown as "?"; but on an emulator, which runs no Lambda, such a shard was never read,
 * so it is behind by all it holds.
 */
public final class KinesisLag {
    static final int PAGE = 10_000;

    private final KinesisClient kinesis;
    private final DynamoDbClient dynamo;
    private final Stage stage;
    private final Clock clock;
    private final boolean onlyHostedHere;

    /** {@code onlyHostedHere}: an emulator, which runs no Lambda, so a shard without a checkpoint was never read. */
    public KinesisLag(KinesisClient kinesis, DynamoDbClient dynamo, Stage stage, Clock clock, boolean onlyHostedHere) {
        this.onlyHostedHere = onlyHostedHere;
        this.kinesis = kinesis;
        this.dynamo = dynamo;
        this.stage = stage;
        this.clock = clock;
    }

    /** The key of a host's checkpoint item for one shard of a stream it runs a function over. */
    public static String checkpointId(String stream, String function, String shardId) {
        return "checkpoint#" + stream + "#" + function + "#" + shardId;
    }

    public List<ConsumerLag> of(String stream, String function) {
        List<Shard> shards = KinesisShards.of(kinesis, stream, stage.value());
        List<ConsumerLag> lags = new ArrayList<>();
        for (Shard shard : shards) {
            String checkpoint;
            try {
                Map<String, AttributeValue> item = AwsErrors.call("dynamodb:GetItem", "DynamoDB table " + stage.hostTable(),
                        stage.value(), () -> dynamo.getItem(b -> b.tableName(stage.hostTable()).consistentRead(true)
                                .key(Map.of("id", AttributeValue.fromS(checkpointId(stream, function, shard.shardId()))))).item());
                checkpoint = item == null || item.isEmpty() ? null : item.get("sequenceNumber").s();
            } catch (RuntimeException noLeaseTable) {
                if (!(noLeaseTable instanceof ResourceNotFoundException || noLeaseTable.getCause() instanceof ResourceNotFoundException)) {
                    throw noLeaseTable;
                }
                checkpoint = null;
                if (!onlyHostedHere) {
                    lags.add(new ConsumerLag(stream, function, shard.shardId(), OptionalLong.empty(), OptionalLong.empty()));
                    continue;
                }
            }
            if (checkpoint == null && !onlyHostedHere) {
                // no local host has checkpointed this shard: the planes run as Lambdas (their mappings know
                // the lag, not this table) or nobody runs them; either way the lag is not known here
                lags.add(new ConsumerLag(stream, function, shard.shardId(), OptionalLong.empty(), OptionalLong.empty()));
                continue;
            }
            // on an emulator nothing but a local host reads the streams: no checkpoint, nothing read yet
            String from = checkpoint;
            String iterator = AwsErrors.call("kinesis:GetShardIterator", "Kinesis stream " + stream, stage.value(),
                    () -> kinesis.getShardIterator(b -> {
                        b.streamName(stream).shardId(shard.shardId());
                        if (from == null) {
                            b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                        } else {
                            b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(from);
                        }
                    }).shardIterator());
            GetRecordsResponse page = AwsErrors.call("kinesis:GetRecords", "Kinesis stream " + stream, stage.value(),
                    () -> kinesis.getRecords(b -> b.shardIterator(iterator).limit(PAGE)));
            List<Record> behind = page.records();
            long millis = behind.isEmpty() || behind.get(0).approximateArrivalTimestamp() == null ? 0
                    : Math.max(0, clock.millis() - behind.get(0).approximateArrivalTimestamp().toEpochMilli());
            lags.add(new ConsumerLag(stream, function, shard.shardId(), OptionalLong.of(behind.size()), OptionalLong.of(millis)));
        }
        return lags;
    }
}
