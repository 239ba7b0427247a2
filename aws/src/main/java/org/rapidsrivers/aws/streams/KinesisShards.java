package org.rapidsrivers.aws.streams;

import org.rapidsrivers.aws.AwsErrors;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** Understands how to list every shard of a stream; ListShards pages with a token and has no SDK paginator. */
public final class KinesisShards {
    private KinesisShards() {
    }

    public static List<Shard> of(KinesisClient kinesis, String stream, String stage) {
        List<Shard> shards = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListShardsResponse page = AwsErrors.call("kinesis:ListShards", "Kinesis stream " + stream, stage,
                    () -> next == null ? kinesis.listShards(b -> b.streamName(stream)) : kinesis.listShards(b -> b.nextToken(next)));
            shards.addAll(page.shards());
            token = page.nextToken();
        } while (token != null);
        return shards;
    }

    /** Shards still written to: a closed shard (after a split or merge) has an ending sequence number. */
    public static List<Shard> open(KinesisClient kinesis, String stream, String stage) {
        return of(kinesis, stream, stage).stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).toList();
    }
}
