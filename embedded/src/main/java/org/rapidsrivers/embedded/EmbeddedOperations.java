package org.rapidsrivers.embedded;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.ConsumerLag;
import org.rapidsrivers.core.operate.FutureStamp;
import org.rapidsrivers.core.operate.InstanceNote;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.PlaneDeadLetter;
import org.rapidsrivers.core.operate.RapidsTail;
import org.rapidsrivers.core.operate.RiverDeadLetter;
import org.rapidsrivers.core.operate.RiverStatus;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.ports.DeadLetterNote;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Rivers;

/**
 * Understands the operator's questions on the embedded backend, answered from the tables directly: a
 * few grouped queries for every river at once, the checkpoints against the streams for the lag, and
 * moves between queues (or from the dead letters onto a stream) each done in one transaction, so an
 * interrupted move leaves every message in exactly one place.
 */
final class EmbeddedOperations implements Operations {
    private static final int MOVE_CHUNK = 200;

    private final Database db;
    private final Clock clock;
    private final Stage stage;
    private final EmbeddedRivers rivers;
    private final EmbeddedLog log;
    private final EmbeddedTraffic traffic;
    private final Doorbell doorbell;
    private final Map<Plane, Stream> planes;

    /** Understands a plane's stream, its consumer, and where its dead letters are kept. */
    record Stream(String name, String consumer, String deadLetterSource) {
    }

    EmbeddedOperations(Database db, Clock clock, Stage stage, EmbeddedRivers rivers, EmbeddedLog log,
                       EmbeddedTraffic traffic, Doorbell doorbell, Map<Plane, Stream> planes) {
        this.db = db;
        this.clock = clock;
        this.stage = stage;
        this.rivers = rivers;
        this.log = log;
        this.traffic = traffic;
        this.doorbell = doorbell;
        this.planes = planes;
    }

    @Override
    public List<RiverStatus> rivers() {
        long now = clock.millis();
        return db.read(() -> {
            Map<String, Map<Topic, ContentFilter>> topics = new TreeMap<>();
            Map<String, Long> made = new HashMap<>();
            try (ResultSet rows = db.statement("SELECT name, created_ms FROM rivers").executeQuery()) {
                while (rows.next()) {
                    topics.put(rows.getString(1), new TreeMap<>());
                    made.put(rows.getString(1), rows.getLong(2));
                }
            }
            try (ResultSet rows = db.statement("SELECT river, topic, filter FROM river_topics").executeQuery()) {
                while (rows.next()) {
                    topics.computeIfAbsent(rows.getString(1), r -> new TreeMap<>())
                            .put(Topic.of(rows.getString(2)), EmbeddedSubscriptions.filterOf(rows.getString(3)));
                }
            }
            Map<String, Counts> counts = new HashMap<>();
            long ahead = now + ThisProcess.TOLERANCE.toMillis();
            // receivable as a receive judges it (EmbeddedRivers.RECEIVABLE), the rest held; the oldest of all by
            // when it was sent (in hand or waiting), and the oldest of those waiting
            PreparedStatement grouped = db.bound("SELECT queue, sum" + EmbeddedRivers.RECEIVABLE + ","
                    + " sum(NOT " + EmbeddedRivers.RECEIVABLE + "), min(min(sent_ms, ?)),"
                    + " min(CASE WHEN " + EmbeddedRivers.RECEIVABLE + " THEN min(sent_ms, ?) END) FROM messages GROUP BY queue",
                    now, ahead, now, ahead, now, now, ahead, now);
            try (ResultSet rows = grouped.executeQuery()) {
                while (rows.next()) {
                    long visible = rows.getLong(2);
                    long held = rows.getLong(3);
                    Optional<Long> oldest = Optional.of(rows.getLong(4)).filter(any -> visible + held > 0);
                    long oldestWaiting = rows.getLong(5);
                    Optional<Long> waiting = rows.wasNull() ? Optional.empty() : Optional.of(oldestWaiting);
                    counts.put(rows.getString(1), new Counts(visible, held, oldest, waiting));
                }
            }
            List<RiverStatus> all = new ArrayList<>();
            Counts none = new Counts(0, 0, Optional.empty(), Optional.empty());
            topics.forEach((name, subscribed) -> {
                Counts river = counts.getOrDefault(name, none);
                Counts dead = counts.getOrDefault(name + "-dlq", none);
                all.add(new RiverStatus(RiverName.of(name), new TreeSet<>(), river.visible(), river.held(), dead.visible() + dead.held(),
                        river.oldest().map(sent -> Duration.ofMillis(Math.max(0, now - sent))),
                        river.oldestWaiting().map(sent -> Duration.ofMillis(Math.max(0, now - sent))),
                        Optional.ofNullable(made.get(name)).map(Instant::ofEpochMilli)).with(new RiverPolicy(subscribed)));
            });
            return all;
        });
    }

    /** What one queue holds: receivable, held, and when the oldest of all and of the receivable ones were sent. */
    private record Counts(long visible, long held, Optional<Long> oldest, Optional<Long> oldestWaiting) {
    }

    @Override
    public RiverStatus river(RiverName river) {
        requireExists(river);
        return rivers().stream().filter(r -> r.river().equals(river)).findFirst().orElseThrow();
    }

    @Override
    public List<ConsumerLag> lag() {
        long now = clock.millis();
        return db.read(() -> {
            List<ConsumerLag> lags = new ArrayList<>();
            for (Stream stream : planes.values()) {
                for (int shard = 0; shard < EmbeddedLog.SHARDS; shard++) {
                    long checkpoint = log.checkpoint(stream.name(), stream.consumer(), shard);
                    PreparedStatement behind = db.bound("SELECT count(*), min(arrived_ms) FROM records"
                            + " WHERE stream = ? AND shard = ? AND seq > ?", stream.name(), shard, checkpoint);
                    try (ResultSet rows = behind.executeQuery()) {
                        rows.next();
                        long records = rows.getLong(1);
                        long oldest = rows.getLong(2);
                        long millis = records == 0 ? 0 : Math.max(0, now - oldest);
                        lags.add(new ConsumerLag(stream.name(), stream.consumer(), EmbeddedLog.shardId(shard),
                                OptionalLong.of(records), OptionalLong.of(millis)));
                    }
                }
            }
            return lags;
        });
    }

    @Override
    public List<RiverDeadLetter> deadLetters(RiverName river, int max) {
        requireExists(river);
        return db.read(() -> deadLetters(river, Set.of(), max));
    }

    /** The river's dead letters {@code ids} names (all when empty), in the order they came. */
    private List<RiverDeadLetter> deadLetters(RiverName river, Set<String> ids, int max) throws SQLException {
        // a message is a rapids record, or (a negative id) one of the river's own (a reminder, a replay)
        List<Object> values = new ArrayList<>(List.of(river.value() + "-dlq"));
        String only = "";
        if (!ids.isEmpty()) {
            List<Long> wanted = ids.stream().map(EmbeddedOperations::messageId).toList();
            only = " AND m.id IN (" + String.join(", ", Collections.nCopies(wanted.size(), "?")) + ")";
            values.addAll(wanted);
        }
        values.add(max);
        PreparedStatement select = db.bound("SELECT m.id, m.receives, coalesce(r.data, n.body), m.reason FROM messages m"
                + " LEFT JOIN records r ON r.seq = m.id LEFT JOIN reminders n ON n.id = " + OwnMessages.ROW_OF_M_ID
                + " WHERE m.queue = ?" + only + " ORDER BY m.id LIMIT ?", values.toArray());
        List<RiverDeadLetter> dead = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Optional<DeadLetterNote> note = DeadLetterNote.parse(rows.getString(4));
                dead.add(new RiverDeadLetter(river, Long.toString(rows.getLong(1)), new String(rows.getBytes(3), StandardCharsets.UTF_8),
                        note.map(DeadLetterNote::receiveCount).orElse(Rivers.MAX_RECEIVES), note));
            }
        }
        return dead;
    }

    /** An id as deadletters printed it; one that is not an id of this backend is refused. */
    private static long messageId(String id) {
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException notOurs) {
            throw new InvalidInput("'" + id + "' is not a dead letter's id on the embedded backend (deadletters lists"
                    + " them: a whole number)");
        }
    }

    /** Recorded, then removed, in one transaction: a record that throws removes nothing. */
    @Override
    public List<RiverDeadLetter> discardDeadLetters(RiverName river, Set<String> ids, int max,
                                                    Consumer<List<RiverDeadLetter>> record) {
        requireExists(river);
        return db.write(() -> {
            List<RiverDeadLetter> letters = deadLetters(river, ids, max);
            if (letters.isEmpty()) {
                return letters;
            }
            record.accept(letters);
            List<Object> values = new ArrayList<>(List.of(river.value() + "-dlq"));
            letters.forEach(letter -> values.add(Long.parseLong(letter.id())));
            db.bound("DELETE FROM messages WHERE queue = ? AND id IN (" + String.join(", ", Collections.nCopies(letters.size(), "?"))
                    + ")", values.toArray()).executeUpdate();
            List<Object> own = new ArrayList<>();
            letters.stream().map(l -> Long.parseLong(l.id())).filter(OwnMessages::isOwn).forEach(id -> own.add(OwnMessages.rowOf(id)));
            if (!own.isEmpty()) {
                db.bound("DELETE FROM reminders WHERE id IN (" + String.join(", ", Collections.nCopies(own.size(), "?")) + ")",
                        own.toArray()).executeUpdate();
            }
            return letters;
        });
    }

    @Override
    public List<PlaneDeadLetter> discardPlaneDeadLetters(Plane plane, Set<String> ids, int max,
                                                         Consumer<List<PlaneDeadLetter>> record) {
        Set<Long> wanted = new HashSet<>();
        ids.forEach(id -> wanted.add(messageId(id)));
        return db.write(() -> {
            List<PlaneDeadLetter> letters = buried(plane, Integer.MAX_VALUE).stream().map(Buried::letter)
                    .filter(l -> wanted.isEmpty() || wanted.contains(Long.parseLong(l.id()))).limit(max).toList();
            if (letters.isEmpty()) {
                return letters;
            }
            record.accept(letters);
            List<Object> values = new ArrayList<>();
            letters.forEach(l -> values.add(Long.parseLong(l.id())));
            db.bound("DELETE FROM dead_letters WHERE id IN (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")",
                    values.toArray()).executeUpdate();
            return letters;
        });
    }

    @Override
    public long redrive(RiverName river, int max) {
        requireExists(river);
        long moved = 0;
        while (moved < max) {
            int chunk = (int) Math.min(MOVE_CHUNK, max - moved);
            long now = clock.millis();
            // one transaction per chunk: a message is in the dead-letter queue or back in the river, never both
            int n = db.write(() -> {
                PreparedStatement move = db.bound("UPDATE OR REPLACE messages SET queue = ?, receives = 0, reason = NULL,"
                        + " visible_ms = ?, sent_ms = ?, stamped_ms = ? WHERE queue = ? AND id IN (SELECT id FROM messages"
                        + " WHERE queue = ? ORDER BY id LIMIT ?)", river.value(), now, now, now, river.value() + "-dlq", river.value() + "-dlq",
                        chunk);
                return move.executeUpdate();
            });
            moved += n;
            if (n > 0) {
                doorbell.river(river.value()).ring();
            }
            if (n < chunk) {
                break;
            }
        }
        return moved;
    }

    @Override
    public long planeDeadLetterCount(Plane plane) {
        return db.read(() -> {
            PreparedStatement count = db.statement("SELECT count(*) FROM dead_letters WHERE source = ?");
            count.setString(1, planes.get(plane).deadLetterSource());
            try (ResultSet rows = count.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<PlaneDeadLetter> planeDeadLetters(Plane plane, int max) {
        return buried(plane, max).stream().map(Buried::letter).toList();
    }

    @Override
    public PlaneRedrive redrivePlane(Plane plane, int max) {
        Stream stream = planes.get(plane);
        long putBack = 0;
        long left = 0;
        for (Buried buried : buried(plane, max)) {
            if (!buried.letter().redrivable()) {
                left++;
                continue;
            }
            // back on the stream and out of the dead letters together
            db.write(() -> {
                log.append(stream.name(), List.of(EmbeddedLog.Entry.read(buried.letter().partitionKey(), buried.data())));
                PreparedStatement delete = db.statement("DELETE FROM dead_letters WHERE id = ?");
                delete.setLong(1, buried.id());
                delete.executeUpdate();
                return null;
            });
            putBack++;
        }
        return new PlaneRedrive(putBack, left, 0);
    }

    @Override
    public RapidsTail tail() {
        return new EmbeddedTail(db, log, doorbell, planes.get(Plane.FANOUT).name());
    }

    @Override
    public List<Traffic> traffic() {
        return traffic.all();
    }

    @Override
    public List<InstanceNote> instances() {
        return traffic.instances();
    }

    @Override
    public List<FutureStamp> stampedAhead() {
        long now = clock.millis();
        long ahead = now + ThisProcess.TOLERANCE.toMillis();
        return db.read(() -> {
            List<FutureStamp> stamps = new ArrayList<>();
            PreparedStatement leases = db.statement("SELECT name, holder, stamped_ms FROM leases"
                    + " WHERE stamped_ms > ? AND holder <> '' ORDER BY name");
            leases.setLong(1, ahead);
            try (ResultSet rows = leases.executeQuery()) {
                while (rows.next()) {
                    String holder = rows.getString(2);
                    stamps.add(new FutureStamp("the lease of " + rows.getString(1).replace("host:", ""),
                            "pid " + holder.substring(0, Math.max(0, holder.indexOf('-'))), Duration.ofMillis(rows.getLong(3) - now), 1));
                }
            }
            PreparedStatement messages = db.statement("SELECT m.queue, p.pid, p.command, count(*), max(m.stamped_ms)"
                    + " FROM messages m LEFT JOIN processes p ON p.id = m.stamped_by WHERE m.stamped_ms > ?"
                    + " GROUP BY m.queue, m.stamped_by ORDER BY m.queue");
            messages.setLong(1, ahead);
            try (ResultSet rows = messages.executeQuery()) {
                while (rows.next()) {
                    String by = rows.getString(3) == null ? "a process rr does not know" : "pid " + rows.getLong(2) + " ("
                            + rows.getString(3) + ")";
                    stamps.add(new FutureStamp("river " + rows.getString(1), by,
                            Duration.ofMillis(rows.getLong(5) - now), rows.getLong(4)));
                }
            }
            return stamps;
        });
    }

    /** Understands one row of the dead letters. */
    private record Buried(long id, byte[] data, PlaneDeadLetter letter) {
    }

    private List<Buried> buried(Plane plane, int max) {
        Stream stream = planes.get(plane);
        return db.read(() -> {
            PreparedStatement select = db.bound("SELECT d.id, d.shard_id, d.sequence_number, d.data, d.reason,"
                    + " d.buried_ms, r.partition_key FROM dead_letters d LEFT JOIN records r ON r.seq = CAST(d.sequence_number AS INTEGER)"
                    + " AND r.stream = ? WHERE d.source = ? ORDER BY d.id LIMIT ?",
                    stream.name(), stream.deadLetterSource(), max);
            List<Buried> all = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    byte[] data = rows.getBytes(4);
                    String text = StreamRecord.utf8OrNull(data);
                    String partitionKey = rows.getString(7) != null ? rows.getString(7) : "redriven-" + rows.getLong(1);
                    all.add(new Buried(rows.getLong(1), data, new PlaneDeadLetter(Long.toString(rows.getLong(1)), plane, rows.getString(5),
                            rows.getString(2), rows.getString(3), partitionKey, Instant.ofEpochMilli(rows.getLong(6)),
                            Optional.of(text != null ? text : Base64.getEncoder().encodeToString(data)),
                            text != null ? "utf-8" : "base64", false)));
                }
            }
            return all;
        });
    }

    private void requireExists(RiverName river) {
        if (!rivers.exists(river)) {
            throw new InvalidInput("river '" + river + "' does not exist in stage " + stage
                    + " (rr status lists the rivers)");
        }
    }
}
