package org.rapidsrivers.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.Outcomes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Understands how the shell learns a command's outcome on AWS: before sending, it takes a LATEST
 * iterator on every shard of the rapids; afterwards it reads from there (at most five reads a second
 * per shard, Kinesis's limit) until the outcome with the command's id comes by.
 */
public final class KinesisOutcomes implements Outcomes {
    private static final Duration POLL = Duration.ofMillis(250);

    private final KinesisClient kinesis;
    private final String stream;
    private final String stage;

    KinesisOutcomes(KinesisClient kinesis, String stream, String stage) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.stage = stage;
    }

    @Override
    public Watch watch() {
        List<String> iterators = new ArrayList<>();
        for (Shard shard : KinesisShards.open(kinesis, stream, stage)) {
            iterators.add(AwsErrors.call("kinesis:GetShardIterator", "Kinesis stream " + stream, stage,
                    () -> kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.LATEST)).shardIterator()));
        }
        return new Watch() {
            // every outcome seen, so awaiting several commands one after another misses none
            private final java.util.Map<String, CommandOutcome> seen = new java.util.HashMap<>();

            @Override
            public Optional<CommandOutcome> await(String commandId, Duration timeout) {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (true) {
                    if (seen.containsKey(commandId)) {
                        return Optional.of(seen.get(commandId));
                    }
                    for (int i = 0; i < iterators.size(); i++) {
                        String iterator = iterators.get(i);
                        if (iterator == null) {
                            continue;
                        }
                        GetRecordsResponse page = AwsErrors.call("kinesis:GetRecords", "Kinesis stream " + stream, stage,
                                () -> kinesis.getRecords(b -> b.shardIterator(iterator).limit(1000)));
                        iterators.set(i, page.nextShardIterator());
                        for (Record record : page.records()) {
                            outcomeIn(record).ifPresent(outcome -> seen.putIfAbsent(outcome.commandId(), outcome));
                        }
                    }
                    if (seen.containsKey(commandId)) {
                        return Optional.of(seen.get(commandId));
                    }
                    if (System.nanoTime() >= deadline) {
                        return Optional.empty();
                    }
                    try {
                        Thread.sleep(POLL.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                }
            }

            @Override
            public void close() {
                // iterators expire by themselves after five minutes
            }
        };
    }

    private static Optional<CommandOutcome> outcomeIn(Record record) {
        try {
            return CommandOutcome.of(Event.parseRoutable(record.data().asUtf8String()));
        } catch (InvalidInput notAnOutcome) {
            return Optional.empty();
        }
    }
}
