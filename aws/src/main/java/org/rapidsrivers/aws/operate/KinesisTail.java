package org.rapidsrivers.aws.operate;

import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.streams.KinesisShards;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.RapidsTail;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Understands following the rapids on Kinesis: an iterator at LATEST per shard, made when the tail is,
 * then one GetRecords per shard per poll (Kinesis allows five a second per shard, shared with the
 * planes' reads: poll about once a second). A shard's iterator moves on only with what was read from it,
 * and what was read is returned even when a later shard's read fails: that poll fails, and the next one
 * returns it first (before, the records of the shards read before a failing one were dropped: a
 * watcher such as the offers scenario's could miss events that were on the rapids).
 */
final class KinesisTail implements RapidsTail {
    private final KinesisClient kinesis;
    private final Stage stage;
    private final String stream;
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final List<String> readNotReturned = new ArrayList<>();

    KinesisTail(KinesisClient kinesis, Stage stage, String stream) {
        this.kinesis = kinesis;
        this.stage = stage;
        this.stream = stream;
        for (Shard shard : KinesisShards.open(kinesis, stream, stage.value())) {
            iterators.put(shard.shardId(), AwsErrors.call("kinesis:GetShardIterator", "Kinesis stream " + stream, stage.value(),
                    () -> kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.LATEST)).shardIterator()));
        }
    }

    @Override
    public synchronized List<String> poll() {
        for (Map.Entry<String, String> shard : iterators.entrySet()) {
            if (shard.getValue() == null) {
                continue;
            }
            String iterator = shard.getValue();
            GetRecordsResponse page = AwsErrors.call("kinesis:GetRecords", "Kinesis stream " + stream, stage.value(),
                    () -> kinesis.getRecords(b -> b.shardIterator(iterator).limit(10_000)));
            for (Record record : page.records()) {
                readNotReturned.add(record.data().asString(StandardCharsets.UTF_8));
            }
            shard.setValue(page.nextShardIterator());
        }
        List<String> texts = List.copyOf(readNotReturned);
        readNotReturned.clear();
        return texts;
    }
}
