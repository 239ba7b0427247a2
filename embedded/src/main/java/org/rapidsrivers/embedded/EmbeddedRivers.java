package org.rapidsrivers.embedded;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.ports.DeadLetterNote;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Rivers;

/**
 * Understands the embedded river queues, with SQS's rules: a received message stays hidden for the
 * visibility timeout and comes back unless deleted; after five receives without a delete it moves
 * to the river's dead-letter queue instead of being delivered again. Visibility is bounded by who
 * stamped it: a message stamped by a clock that runs ahead of the reader's (more than
 * {@link ThisProcess#TOLERANCE}) is visible now, so one process's clock never hides messages from the
 * others; a clock that runs behind releases messages early (a duplicate, which readers skip by eventId).
 */
final class EmbeddedRivers implements Rivers {
    /**
     * The longest a waiting receive goes without looking at its river: what it waits for rings its bell (a
     * message put in by this process or, within {@link Doorbell#OTHER_PROCESSES}, by another) or becomes
     * visible at a time it knows; this look only bounds what a clock set back meanwhile could delay.
     */
    static final Duration LOOK_AT_LEAST_EVERY = Duration.ofMillis(250);

    /** Receivable now: visible by its stamp, or stamped by a clock that runs ahead (the second and third parameters). */
    static final String RECEIVABLE = "(visible_ms <= ? OR stamped_ms > ?)";

    private final Database db;
    private final Clock clock;
    private final Doorbell doorbell;
    private final ThisProcess me;

    EmbeddedRivers(Database db, Clock clock, Doorbell doorbell, ThisProcess me) {
        this.db = db;
        this.clock = clock;
        this.doorbell = doorbell;
        this.me = me;
    }

    @Override
    public void create(RiverName river) {
        db.write(() -> {
            PreparedStatement insert = db.bound("INSERT OR IGNORE INTO rivers (name, created_ms) VALUES (?, ?)",
            river.value(), clock.millis());
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean exists(RiverName river) {
        return db.read(() -> {
            PreparedStatement select = db.statement("SELECT 1 FROM rivers WHERE name = ?");
            select.setString(1, river.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        });
    }

    /** The river, its topics and both its queues' messages (and the river's own messages they name), in one transaction. */
    @Override
    public void delete(RiverName river) {
        db.write(() -> {
            db.bound("DELETE FROM reminders WHERE id IN (SELECT " + OwnMessages.ROW_OF_M_ID + " FROM messages m"
                    + " WHERE m.queue IN (?, ?) AND m.id < 0)", river.value(), deadLetterQueue(river)).executeUpdate();
            db.bound("DELETE FROM messages WHERE queue IN (?, ?)", river.value(), deadLetterQueue(river)).executeUpdate();
            db.bound("DELETE FROM river_topics WHERE river = ?", river.value()).executeUpdate();
            db.bound("DELETE FROM rivers WHERE name = ?", river.value()).executeUpdate();
            return null;
        });
    }

    @Override
    public long purge(RiverName river) {
        requireExists(river);
        return db.writeEvenIfDiskFull(() -> {
            db.bound("DELETE FROM reminders WHERE id IN (SELECT " + OwnMessages.ROW_OF_M_ID + " FROM messages m"
                    + " WHERE m.queue = ? AND m.id < 0)", river.value()).executeUpdate();
            return (long) db.bound("DELETE FROM messages WHERE queue = ?", river.value()).executeUpdate();
        });
    }

    @Override
    public List<RiverName> names() {
        return db.read(() -> {
            List<RiverName> names = new ArrayList<>();
            try (ResultSet rows = db.statement("SELECT name FROM rivers ORDER BY name").executeQuery()) {
                while (rows.next()) {
                    names.add(RiverName.of(rows.getString(1)));
                }
            }
            names.sort(null);
            return names;
        });
    }

    @Override
    public List<Delivery> receive(RiverName river, int max, Duration wait, Duration visibility) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean checked = false;
        Doorbell.Bell bell = doorbell.river(river.value());
        while (true) {
            long seen = bell.rings();
            long now = clock.millis();
            List<Delivery> received = anyVisible(river.value(), now)
                    ? receiveNow(river.value(), deadLetterQueue(river), max, visibility) : List.of();
            if (!received.isEmpty()) {
                return received;
            }
            if (!checked) {
                // only an empty answer needs telling apart from a river that is not there
                requireExists(river);
                checked = true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return received;
            }
            // until a ring, the next hidden or delayed message's time, the look due, or the end of the wait
            long visibleAt = nextVisible(river.value(), now);
            long nanos = Math.min(left, LOOK_AT_LEAST_EVERY.toNanos());
            if (visibleAt - now < nanos / 1_000_000) {
                nanos = (visibleAt - now) * 1_000_000;
            }
            try {
                bell.awaitAfter(seen, Duration.ofNanos(nanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return received;
            }
        }
    }

    private void requireExists(RiverName river) {
        if (!exists(river)) {
            throw new InvalidInput("river '" + river + "' does not exist (subscribe it to a topic to create it)");
        }
    }

    /** Reads the river's dead-letter queue, which has no dead-letter queue of its own. */
    List<Delivery> receiveDeadLetters(RiverName river, int max, Duration visibility) {
        String queue = deadLetterQueue(river);
        return anyVisible(queue, clock.millis()) ? receiveNow(queue, null, max, visibility) : List.of();
    }

    @Override
    public void delete(RiverName river, List<Delivery> deliveries) {
        deleteFrom(river.value(), deliveries);
    }

    @Override
    public int depth(RiverName river) {
        long now = clock.millis();
        return db.read(() -> {
            PreparedStatement count = db.bound("SELECT count(*) FROM messages WHERE queue = ? AND " + RECEIVABLE, river.value(), now, now + ThisProcess.TOLERANCE.toMillis());
            try (ResultSet rows = count.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        });
    }

    /** How many messages the river holds, visible or not, and how many its dead-letter queue holds. */
    int depth(RiverName river, boolean deadLetters) {
        return db.read(() -> {
            PreparedStatement count = db.statement("SELECT count(*) FROM messages WHERE queue = ?");
            count.setString(1, deadLetters ? deadLetterQueue(river) : river.value());
            try (ResultSet rows = count.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        });
    }

    private List<Delivery> receiveNow(String queue, String deadLetterQueue, int max, Duration visibility) {
        long now = clock.millis();
        long me = this.me.id();
        return db.writeEvenIfDiskFull(() -> {
            if (deadLetterQueue != null) {
                PreparedStatement redrive = db.bound("UPDATE messages INDEXED BY messages_to_redrive"
                        + " SET queue = ?, receives = 0, visible_ms = ?, stamped_ms = ?, stamped_by = ?"
                        + " WHERE queue = ? AND receives >= " + MAX_RECEIVES + " AND " + RECEIVABLE, deadLetterQueue, now, now, me, queue, now, now + ThisProcess.TOLERANCE.toMillis());
                redrive.executeUpdate();
            }
            PreparedStatement take = db.bound("UPDATE messages SET receives = receives + 1, visible_ms = ?,"
                    + " stamped_ms = ?, stamped_by = ? WHERE queue = ? AND id IN (SELECT id FROM messages WHERE queue = ?"
                    + " AND " + RECEIVABLE + " ORDER BY id LIMIT ?) RETURNING id, receives, replay",
                    now + visibility.toMillis(), now, me, queue, queue, now, now + ThisProcess.TOLERANCE.toMillis(), max);
            Map<Long, int[]> receives = new TreeMap<>();
            Map<Long, Long> replays = new HashMap<>();
            try (ResultSet rows = take.executeQuery()) {
                while (rows.next()) {
                    receives.put(rows.getLong(1), new int[] {rows.getInt(2)});
                    replays.put(rows.getLong(1), rows.getLong(3));
                }
            }
            return receives.isEmpty() ? List.<Delivery>of() : withBodies(receives, replays);
        });
    }

    /** Whether a message can be received now: a read that stops at the first, so an empty river costs no write. */
    private boolean anyVisible(String queue, long now) {
        return db.read(() -> {
            PreparedStatement select = db.bound("SELECT 1 FROM messages WHERE queue = ? AND " + RECEIVABLE + " LIMIT 1",
            queue, now, now + ThisProcess.TOLERANCE.toMillis());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        });
    }

    /**
     * When the river's next message can be received, asked only once none can be now (it reads every
     * message of the river): {@code now} or earlier when one can be now, the time the
     * first hidden or delayed one shows, or {@link Long#MAX_VALUE} for an empty river. A read, so an empty
     * river costs no write transaction.
     */
    private long nextVisible(String queue, long now) {
        return db.read(() -> {
            // receivable now by its stamp's clock (RECEIVABLE's second half) counts as visible at once
            PreparedStatement select = db.bound("SELECT min(CASE WHEN stamped_ms > ? THEN 0 ELSE visible_ms END)"
                    + " FROM messages WHERE queue = ?", now + ThisProcess.TOLERANCE.toMillis(), queue);
            try (ResultSet rows = select.executeQuery()) {
                long at = rows.next() ? rows.getLong(1) : 0;
                return rows.wasNull() ? Long.MAX_VALUE : at;
            }
        });
    }

    /** Each message's body is the rapids record it names, or (a negative id) the river's own message it is. */
    private List<Delivery> withBodies(Map<Long, int[]> receives, Map<Long, Long> replays) throws SQLException {
        Map<Long, String> text = new HashMap<>();
        List<Long> records = receives.keySet().stream().filter(id -> !OwnMessages.isOwn(id)).toList();
        List<Long> own = receives.keySet().stream().filter(OwnMessages::isOwn).toList();
        bodiesOf("SELECT seq, data FROM records WHERE seq IN (", records, id -> id, text);
        Map<Long, Long> idOfRow = new HashMap<>();
        own.forEach(id -> idOfRow.put(OwnMessages.rowOf(id), id));
        bodiesOf("SELECT id, body FROM reminders WHERE id IN (", List.copyOf(idOfRow.keySet()), idOfRow::get, text);
        List<Delivery> received = new ArrayList<>(receives.size());
        receives.forEach((id, count) -> received.add(new Delivery(id + ":" + count[0], text.get(id), count[0], replays.get(id),
                OwnMessages.isReminder(id, replays.get(id)))));
        return received;
    }

    private void bodiesOf(String select, List<Long> ids, UnaryOperator<Long> messageId, Map<Long, String> text)
            throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        PreparedStatement bodies = db.statement(select + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")");
        int parameter = 1;
        for (long id : ids) {
            bodies.setLong(parameter++, id);
        }
        try (ResultSet rows = bodies.executeQuery()) {
            while (rows.next()) {
                text.put(messageId.apply(rows.getLong(1)), new String(rows.getBytes(2), StandardCharsets.UTF_8));
            }
        }
    }

    /** The reminder is kept beside the message that names it, both in one transaction. */
    @Override
    public void putLater(RiverName river, String body, Duration delay) {
        long now = clock.millis();
        long me = this.me.id();
        requireExists(river);
        db.write(() -> {
            PreparedStatement keep = db.statement("INSERT INTO reminders (body) VALUES (?) RETURNING id");
            keep.setBytes(1, body.getBytes(StandardCharsets.UTF_8));
            long id;
            try (ResultSet rows = keep.executeQuery()) {
                rows.next();
                id = rows.getLong(1);
            }
            PreparedStatement put = db.bound("INSERT INTO messages (queue, id, sent_ms, visible_ms, receives, stamped_ms,"
                    + " stamped_by) VALUES (?, ?, ?, ?, 0, ?, ?)",
                    river.value(), OwnMessages.idOf(id), now, now + Math.max(0, delay.toMillis()), now, me);
            put.executeUpdate();
            return null;
        });
        doorbell.river(river.value()).ring();
    }

    /** Into the dead-letter queue with its reason, in one statement; a stale receipt (received again since) misses. */
    @Override
    public boolean deadLetter(RiverName river, Delivery delivery, DeadLetterNote note) {
        long now = clock.millis();
        String[] receipt = delivery.receipt().split(":", 2);
        return db.writeEvenIfDiskFull(() -> db.bound("UPDATE OR REPLACE messages SET queue = ?, visible_ms = ?, stamped_ms = ?,"
                + " stamped_by = ?, reason = ? WHERE queue = ? AND id = ? AND receives = ?", deadLetterQueue(river), now, now,
                me.id(), note.toJson(), river.value(), Long.parseLong(receipt[0]), Integer.parseInt(receipt[1])).executeUpdate() == 1);
    }

    @Override
    public void changeVisibility(RiverName river, List<Delivery> deliveries, Duration visibility) {
        if (deliveries.isEmpty()) {
            return;
        }
        long now = clock.millis();
        long me = this.me.id();
        // works on a full disk too: giving messages back must not wait for room
        db.writeEvenIfDiskFull(() -> {
            PreparedStatement change = db.statement("UPDATE messages SET visible_ms = ?, stamped_ms = ?, stamped_by = ?"
                    + " WHERE queue = ? AND id = ? AND receives = ?");
            for (Delivery delivery : deliveries) {
                String[] receipt = delivery.receipt().split(":", 2);
                change.setLong(1, now + visibility.toMillis());
                change.setLong(2, now);
                change.setLong(3, me);
                change.setString(4, river.value());
                change.setLong(5, Long.parseLong(receipt[0]));
                change.setInt(6, Integer.parseInt(receipt[1]));
                change.executeUpdate();
            }
            return null;
        });
        if (visibility.isZero()) {
            doorbell.river(river.value()).ring();
        }
    }

    private void deleteFrom(String queue, List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        db.writeEvenIfDiskFull(() -> {
            // One statement per batch; the receive count in the receipt makes a stale receipt miss.
            // The id list lets SQLite look each row up by key; the pairs then check the receive counts.
            int n = deliveries.size();
            PreparedStatement delete = db.statement("DELETE FROM messages WHERE queue = ? AND id IN ("
                    + String.join(", ", Collections.nCopies(n, "?")) + ") AND (id, receives) IN (VALUES "
                    + String.join(", ", Collections.nCopies(n, "(?, ?)")) + ") RETURNING id");
            delete.setString(1, queue);
            for (int i = 0; i < n; i++) {
                String[] receipt = deliveries.get(i).receipt().split(":", 2);
                delete.setLong(2 + i, Long.parseLong(receipt[0]));
                delete.setLong(2 + n + 2 * i, Long.parseLong(receipt[0]));
                delete.setInt(3 + n + 2 * i, Integer.parseInt(receipt[1]));
            }
            List<Long> reminders = new ArrayList<>();
            try (ResultSet deleted = delete.executeQuery()) {
                while (deleted.next()) {
                    if (OwnMessages.isOwn(deleted.getLong(1))) {
                        reminders.add(OwnMessages.rowOf(deleted.getLong(1)));
                    }
                }
            }
            // a reminder or a replayed copy goes with the one message that names it
            if (!reminders.isEmpty()) {
                PreparedStatement forget = db.statement("DELETE FROM reminders WHERE id IN ("
                        + String.join(", ", Collections.nCopies(reminders.size(), "?")) + ")");
                for (int i = 0; i < reminders.size(); i++) {
                    forget.setLong(1 + i, reminders.get(i));
                }
                forget.executeUpdate();
            }
            return null;
        });
    }

    private static String deadLetterQueue(RiverName river) {
        return river.value() + "-dlq";
    }
}
