package org.rapidsrivers.embedded;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.archive.ArchiveQuery;
import org.rapidsrivers.core.archive.ArchiveSummary;
import org.rapidsrivers.core.archive.ArchivedEvent;
import org.rapidsrivers.core.archive.BufferedCursor;
import org.rapidsrivers.core.archive.ReplayState;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands the embedded archive: the rapids' own records, kept until the stage's retention instead of
 * a day, found by index (a window by time, a type, a chain or an eventId within a window). A replay's batch and its progress are written in one
 * transaction, so a replay killed and run again sends each event exactly once; a backfill gives a river
 * the records before its subscription began, and the fan-out gives it only those after: no gap, no overlap.
 */
final class EmbeddedArchive implements Archive {
    private static final int PAGE = 1000;
    static final String RETENTION = "archive_retention_ms";

    private final Database db;
    private final Clock clock;
    private final Doorbell doorbell;
    private final ThisProcess me;
    private final String rapids;

    EmbeddedArchive(Database db, Clock clock, Doorbell doorbell, ThisProcess me, String rapids) {
        this.db = db;
        this.clock = clock;
        this.doorbell = doorbell;
        this.me = me;
        this.rapids = rapids;
    }

    @Override
    public Cursor open(ArchiveQuery query, String after) {
        return new PagedCursor(query, after.isEmpty() ? 0 : Long.parseLong(after));
    }

    /** Reads one page after a sequence number. */
    private List<ArchivedEvent> page(ArchiveQuery query, long afterSeq) {
        return db.read(() -> {
            // a chain or an event: scanned for in the time index over the window (a few rows come back); some
            // types: by the type index; otherwise the records in order, from the window's first
            boolean one = query.correlationId().isPresent() || query.eventId().isPresent();
            boolean typed = !one && !query.types().isEmpty();
            StringBuilder sql = new StringBuilder("SELECT seq, partition_key, data, arrived_ms FROM records"
                    + (one ? " INDEXED BY records_by_time" : typed ? " INDEXED BY records_by_type" : " NOT INDEXED")
                    + " WHERE stream = ? AND seq > ? AND arrived_ms >= ? AND arrived_ms < ?" + (typed ? " AND type IS NOT NULL" : ""));
            List<Object> parameters = new ArrayList<>(List.of(rapids, afterSeq,
                    query.since().toEpochMilli(), query.until().toEpochMilli()));
            if (!query.types().isEmpty()) {
                sql.append(" AND type IN (").append(String.join(", ", Collections.nCopies(query.types().size(), "?"))).append(')');
                query.types().forEach(type -> parameters.add(type.value()));
            }
            query.correlationId().ifPresent(chain -> {
                sql.append(" AND chain_key = ?");
                parameters.add(EmbeddedLog.key(chain));
            });
            query.eventId().ifPresent(id -> {
                sql.append(" AND event_key = ?");
                parameters.add(EmbeddedLog.key(id));
            });
            sql.append(" ORDER BY seq LIMIT ").append(PAGE);
            PreparedStatement select = db.statement(sql.toString());
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<ArchivedEvent> events = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new ArchivedEvent(Long.toString(rows.getLong(1)), rows.getString(2),
                            new String(rows.getBytes(3), StandardCharsets.UTF_8), Instant.ofEpochMilli(rows.getLong(4))));
                }
            }
            return events;
        });
    }

    /** The first record that arrived at or after a time (by the time index; a clock that jumped only widens it). */
    private long firstSeqFrom(Instant since) {
        return db.read(() -> {
        PreparedStatement select = db.bound("SELECT min(seq) FROM records INDEXED BY records_by_time"
                + " WHERE stream = ? AND arrived_ms >= ?", rapids, since.toEpochMilli());
        try (ResultSet rows = select.executeQuery()) {
            long first = rows.next() ? rows.getLong(1) : 0;
            return rows.wasNull() ? Long.MAX_VALUE : first;
        }
        });
    }

    @Override
    public ArchiveSummary summary(boolean detailed) {
        return db.read(() -> {
            PreparedStatement totals = db.statement(detailed
                    ? "SELECT count(*), coalesce(sum(length(data)), 0), min(arrived_ms), max(arrived_ms) FROM records WHERE stream = ?"
                    : "SELECT count(*), -1, min(arrived_ms), max(arrived_ms) FROM records INDEXED BY records_by_time WHERE stream = ?");
            totals.setString(1, rapids);
            long events;
            long bytes;
            Optional<Instant> oldest;
            Optional<Instant> newest;
            try (ResultSet rows = totals.executeQuery()) {
                rows.next();
                events = rows.getLong(1);
                bytes = rows.getLong(2);
                oldest = events == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(rows.getLong(3)));
                newest = events == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(rows.getLong(4)));
            }
            SortedMap<String, Long> byType = new TreeMap<>();
            if (detailed) {
                try (ResultSet rows = db.statement("SELECT type, count(*) FROM records INDEXED BY records_by_type"
                        + " WHERE type IS NOT NULL GROUP BY type").executeQuery()) {
                    while (rows.next()) {
                        byType.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            return new ArchiveSummary(events, bytes, oldest, newest, byType, retention().map(EmbeddedArchive::words),
                    "the stage's database (" + db.file().getFileName() + ")", "counted");
        });
    }

    @Override
    public SortedSet<String> types() {
        return db.read(() -> {
            SortedSet<String> types = new TreeSet<>();
            try (ResultSet rows = db.statement("SELECT DISTINCT type FROM records INDEXED BY records_by_type"
                    + " WHERE type IS NOT NULL").executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
            return types;
        });
    }

    @Override
    public Optional<ReplayState> unfinishedReplay(RiverName river, String filter) {
        return db.read(() -> {
            PreparedStatement select = db.bound("SELECT generation, since_ms, until_ms, position, sent FROM replays"
                    + " WHERE river = ? AND filter = ? AND finished_ms IS NULL ORDER BY generation DESC LIMIT 1",
                    river.value(), filter);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new ReplayState(rows.getLong(1), river, filter, Instant.ofEpochMilli(rows.getLong(2)),
                        Instant.ofEpochMilli(rows.getLong(3)), rows.getLong(4) == 0 ? "" : Long.toString(rows.getLong(4)),
                        rows.getLong(5))) : Optional.<ReplayState>empty();
            }
        });
    }

    @Override
    public ReplayState startReplay(RiverName river, ArchiveQuery query) {
        return db.write(() -> {
            PreparedStatement insert = db.bound("INSERT INTO replays (river, filter, since_ms, until_ms, started_ms)"
                    + " VALUES (?, ?, ?, ?, ?) RETURNING generation",
                    river.value(), query.filter(), query.since().toEpochMilli(), query.until().toEpochMilli(), clock.millis());
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return new ReplayState(rows.getLong(1), river, query.filter(), query.since(), query.until(), "", 0);
            }
        });
    }

    /** The copies, their messages and the replay's progress: one transaction. */
    @Override
    public ReplayState deliver(ReplayState replay, List<ArchivedEvent> batch) {
        if (batch.isEmpty()) {
            return replay;
        }
        long now = clock.millis();
        long stamp = me.id();
        String last = batch.get(batch.size() - 1).position();
        db.write(() -> {
            // the copies' ids follow the last one AUTOINCREMENT gave: this transaction holds the only writer
            PreparedStatement keep = db.statement("INSERT INTO reminders (id, body) VALUES (?, ?)");
            PreparedStatement put = db.statement("INSERT INTO messages (queue, id, sent_ms, visible_ms, receives, stamped_ms,"
                    + " stamped_by, replay) VALUES (?, ?, ?, ?, 0, ?, ?, ?)");
            long row = sequenceOfReminders();
            for (ArchivedEvent event : batch) {
                row++;
                keep.setLong(1, row);
                keep.setBytes(2, event.data().getBytes(StandardCharsets.UTF_8));
                keep.addBatch();
                put.setString(1, replay.river().value());
                put.setLong(2, OwnMessages.idOf(row));
                put.setLong(3, now);
                put.setLong(4, now);
                put.setLong(5, now);
                put.setLong(6, stamp);
                put.setLong(7, replay.generation());
                put.addBatch();
            }
            keep.executeBatch();
            put.executeBatch();
            PreparedStatement progress = db.bound("UPDATE replays SET position = ?, sent = sent + ? WHERE generation = ?",
            Long.parseLong(last), batch.size(), replay.generation());
            progress.executeUpdate();
            return null;
        });
        doorbell.river(replay.river().value()).ring();
        return replay.advancedTo(last, batch.size());
    }

    /** The highest id AUTOINCREMENT ever gave the reminders table (a deleted reminder's id is never given again). */
    private long sequenceOfReminders() throws SQLException {
        try (ResultSet rows = db.statement("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'reminders'").executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    @Override
    public void finish(ReplayState replay) {
        db.write(() -> {
            PreparedStatement done = db.bound("UPDATE replays SET finished_ms = ? WHERE generation = ?",
            clock.millis(), replay.generation());
            done.executeUpdate();
            return null;
        });
    }

    /** Exact: the records of the topic up to the subscription's first, which the fan-out never routes to the river. */
    @Override
    public long backfill(RiverName river, Topic topic, Instant from, Instant subscribedAt) {
        long now = clock.millis();
        long stamp = me.id();
        int given = db.write(() -> {
            PreparedStatement begun = db.bound("SELECT from_seq FROM river_topics WHERE river = ? AND topic = ?",
            river.value(), topic.value());
            long fromSeq;
            try (ResultSet rows = begun.executeQuery()) {
                if (!rows.next()) {
                    throw new InvalidInput("river '" + river + "' is not subscribed to " + topic + ": subscribe it first");
                }
                fromSeq = rows.getLong(1);
            }
            PreparedStatement give = db.bound("INSERT OR IGNORE INTO messages (queue, id, sent_ms, visible_ms, receives,"
                    + " stamped_ms, stamped_by) SELECT ?, seq, ?, ?, 0, ?, ? FROM records INDEXED BY records_by_type"
                    + " WHERE type = ? AND seq <= ? AND stream = ? AND arrived_ms >= ? ORDER BY seq",
                    river.value(), now, now, now, stamp, topic.value(), fromSeq, rapids, from.toEpochMilli());
            return give.executeUpdate();
        });
        if (given > 0) {
            doorbell.river(river.value()).ring();
        }
        return given;
    }

    @Override
    public void retain(Optional<Duration> keepFor) {
        db.write(() -> {
            if (keepFor.isEmpty()) {
                PreparedStatement forget = db.statement("DELETE FROM settings WHERE name = ?");
                forget.setString(1, RETENTION);
                forget.executeUpdate();
            } else {
                PreparedStatement set = db.bound("INSERT INTO settings (name, value) VALUES (?, ?)"
                        + " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                        RETENTION, Long.toString(keepFor.get().toMillis()));
                set.executeUpdate();
            }
            return null;
        });
    }

    /** How long the stage keeps its archive; empty: for ever. */
    Optional<Duration> retention() {
        return db.read(() -> {
            PreparedStatement select = db.statement("SELECT value FROM settings WHERE name = ?");
            select.setString(1, RETENTION);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(Duration.ofMillis(Long.parseLong(rows.getString(1)))) : Optional.<Duration>empty();
            }
        });
    }

    static String words(Duration retention) {
        return retention.toDays() > 0 && retention.toHours() % 24 == 0 ? retention.toDays() + "d" : retention.toHours() + "h";
    }

    /** Pages through the archive, a thousand at a time, each page its own short read. */
    private final class PagedCursor extends BufferedCursor {
        private final ArchiveQuery query;
        private long after;
        private boolean exhausted;

        PagedCursor(ArchiveQuery query, long after) {
            this.query = query;
            // a window's first page starts at its first record, found once (a chain's, an event's or a type's
            // rows are found by their own index)
            boolean indexed = query.correlationId().isPresent() || query.eventId().isPresent() || !query.types().isEmpty();
            long first = indexed ? 0 : firstSeqFrom(query.since());
            this.after = first == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(after, first - 1);
        }

        @Override
        protected boolean readMore(Consumer<ArchivedEvent> wanted) {
            if (exhausted) {
                return false;
            }
            List<ArchivedEvent> page = page(query, after);
            exhausted = page.size() < PAGE;
            if (!page.isEmpty()) {
                after = Long.parseLong(page.get(page.size() - 1).position());
                page.stream().filter(this::confirmed).forEach(wanted);
            }
            return true;
        }

        /** The index knows a chain or an event by eight characters of its id: the record's envelope confirms the rest. */
        private boolean confirmed(ArchivedEvent archived) {
            if (query.correlationId().isEmpty() && query.eventId().isEmpty()) {
                return true;
            }
            try {
                return query.wants(archived.event());
            } catch (RuntimeException notAnEvent) {
                return false;
            }
        }
    }
}
