package org.rapidsrivers.embedded;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.plane.StreamRecord;

/**
 * Understands the embedded streams: ordered logs split into shards by partition key, read from a
 * checkpoint per consumer and shard, the way Kinesis shards are read. Sequence numbers grow with
 * every record, so within a shard they give its order.
 */
final class EmbeddedLog {
    static final int SHARDS = 4;

    private final Database db;
    private final Clock clock;
    private final Doorbell doorbell;

    EmbeddedLog(Database db, Clock clock, Doorbell doorbell) {
        this.db = db;
        this.clock = clock;
        this.doorbell = doorbell;
    }

    /** Appends records in the order given, all or none. */
    void append(String stream, List<Entry> entries) {
        long now = clock.millis();
        db.write(() -> {
            PreparedStatement insert = db.statement("INSERT INTO records (stream, shard, partition_key, data, arrived_ms,"
                    + " type, event_key, chain_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            for (Entry entry : entries) {
                insert.setString(1, stream);
                insert.setInt(2, shardOf(entry.partitionKey()));
                insert.setString(3, entry.partitionKey());
                insert.setBytes(4, entry.data());
                insert.setLong(5, now);
                insert.setString(6, entry.type());
                insert.setString(7, key(entry.eventId()));
                insert.setString(8, key(entry.chain()));
                insert.executeUpdate();
            }
            return null;
        });
        doorbell.stream(stream).ring();
    }

    /** Up to {@code limit} records of one shard after {@code afterSeq}, oldest first. */
    List<StreamRecord> read(String stream, int shard, long afterSeq, int limit) {
        return db.read(() -> {
            PreparedStatement select = db.bound("SELECT seq, partition_key, data, arrived_ms FROM records"
                    + " WHERE stream = ? AND shard = ? AND seq > ? ORDER BY seq LIMIT ?", stream, shard, afterSeq, limit);
            List<StreamRecord> records = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    records.add(new StreamRecord(shardId(shard), Long.toString(rows.getLong(1)), rows.getString(2),
                            rows.getBytes(3), Instant.ofEpochMilli(rows.getLong(4))));
                }
            }
            return records;
        });
    }

    boolean hasRecordsAfter(String stream, int shard, long afterSeq) {
        return db.read(() -> {
            PreparedStatement select = db.bound(
                    "SELECT 1 FROM records WHERE stream = ? AND shard = ? AND seq > ? LIMIT 1", stream, shard, afterSeq);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        });
    }

    long checkpoint(String stream, String consumer, int shard) {
        return db.read(() -> {
            PreparedStatement select = db.bound(
                    "SELECT seq FROM checkpoints WHERE stream = ? AND consumer = ? AND shard = ?", stream, consumer, shard);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    void checkpoint(String stream, String consumer, int shard, long seq) {
        db.write(() -> {
            PreparedStatement upsert = db.bound("INSERT INTO checkpoints (stream, consumer, shard, seq) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (stream, consumer, shard) DO UPDATE SET seq = excluded.seq",
                    stream, consumer, shard, seq);
            upsert.executeUpdate();
            return null;
        });
    }

    /**
     * The newest sequence number of a stream, 0 when empty: where a reader starts to see only what comes
     * next. Shard by shard, each one step down the shard index, however many records the stream keeps.
     */
    long latest(String stream) {
        return db.read(() -> {
            PreparedStatement select = db.statement("SELECT max(seq) FROM records WHERE stream = ? AND shard = ?");
            long latest = 0;
            for (int shard = 0; shard < SHARDS; shard++) {
                select.setString(1, stream);
                select.setInt(2, shard);
                try (ResultSet rows = select.executeQuery()) {
                    latest = Math.max(latest, rows.next() ? rows.getLong(1) : 0L);
                }
            }
            return latest;
        });
    }

    /** Records after {@code afterSeq} up to {@code uptoSeq} whose data contains {@code needle}, in order. */
    List<String> findAfter(String stream, long afterSeq, long uptoSeq, String needle) {
        return db.read(() -> {
            // by sequence number, the table's key ("+stream" keeps SQLite off the stream's index, all its records)
            PreparedStatement select = db.bound("SELECT data FROM records"
                    + " WHERE +stream = ? AND seq > ? AND seq <= ? AND instr(data, ?) > 0 ORDER BY seq",
                    stream, afterSeq, uptoSeq, needle.getBytes(StandardCharsets.UTF_8));
            List<String> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new String(rows.getBytes(1), StandardCharsets.UTF_8));
                }
            }
            return found;
        });
    }

    /**
     * Forgets records older than the retention, as Kinesis does after 24 hours, except those a river
     * message still names: they are that message's body.
     */
    int trimOlderThan(String stream, Instant cutoff) {
        return db.write(() -> {
            PreparedStatement delete = db.bound("DELETE FROM records WHERE stream = ? AND arrived_ms < ?"
                    + " AND seq NOT IN (SELECT id FROM messages)", stream, cutoff.toEpochMilli());
            return delete.executeUpdate();
        });
    }

    /** What the archive's time index keeps of an id: its last eight characters (the record confirms the whole). */
    static String key(String id) {
        return id == null ? null : id.length() <= 8 ? id : id.substring(id.length() - 8);
    }

    static int shardOf(String partitionKey) {
        return Math.floorMod(partitionKey.hashCode(), SHARDS);
    }

    static String shardId(int shard) {
        return String.format("shardId-%012d", shard);
    }

    /** Understands one record to append; an event's carries its type, id and chain for the archive's indexes. */
    record Entry(String partitionKey, byte[] data, String type, String eventId, String chain) {
        Entry(String partitionKey, byte[] data) {
            this(partitionKey, data, null, null, null);
        }

        static Entry of(String partitionKey, String text) {
            return new Entry(partitionKey, text.getBytes(StandardCharsets.UTF_8));
        }

        /** Bytes from elsewhere (a redriven record, a raw append): indexed when they are an event, kept as they are in any case. */
        static Entry read(String partitionKey, byte[] data) {
            try {
                Event event = Event.parseRoutable(
                        new String(data, StandardCharsets.UTF_8));
                return new Entry(partitionKey, data, event.type().value(), event.id(), event.correlationId().orElse(event.id()));
            } catch (RuntimeException notAnEvent) {
                return new Entry(partitionKey, data);
            }
        }

        static Entry of(Event event) {
            return new Entry(event.partitionKey(), event.toJson().getBytes(StandardCharsets.UTF_8), event.type().value(),
                    event.id(), event.correlationId().orElse(event.id()));
        }
    }
}
