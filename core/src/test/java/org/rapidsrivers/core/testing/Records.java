package org.rapidsrivers.core.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.rapidsrivers.core.plane.StreamRecord;

/** Understands how to make stream records for tests, numbered like a Kinesis shard numbers them. */
public final class Records {
    private long next = 49_000_000_000L;

    public StreamRecord one(String text) {
        next++;
        return new StreamRecord("shardId-000000000000", Long.toString(next), "pk-" + next,
                text.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-22T11:00:00Z"));
    }

    public List<StreamRecord> of(String... texts) {
        List<StreamRecord> records = new ArrayList<>();
        for (String text : texts) {
            records.add(one(text));
        }
        return records;
    }
}
