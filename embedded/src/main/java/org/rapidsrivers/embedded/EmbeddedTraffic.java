package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.InstanceNote;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.operate.TrafficNotes;
import org.rapidsrivers.core.plane.TrafficRecorder;

/**
 * Understands the embedded traffic notes: one row per publisher and event type, summed batch by batch; and one
 * row per service instance with the newest thing it said of itself (forgotten a day after it last spoke).
 */
final class EmbeddedTraffic implements TrafficRecorder {
    private final Database db;

    EmbeddedTraffic(Database db) {
        this.db = db;
    }

    /** An instance silent this long is forgotten (status drops it after an hour). */
    static final long FORGOTTEN_AFTER_MS = Duration.ofDays(1).toMillis();

    @Override
    public void record(List<Event> routed) {
        List<Traffic> sums = TrafficNotes.sum(routed);
        if (sums.isEmpty()) {
            return;
        }
        List<InstanceNote> instances = TrafficNotes.instances(routed);
        db.write(() -> {
            if (!instances.isEmpty()) {
                // the newest word of each instance stays: a note older than the kept one changes nothing
                PreparedStatement note = db.statement("INSERT INTO instances (service, instance_id, state, started_ms,"
                        + " last_ms, payload) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (service, instance_id) DO UPDATE SET"
                        + " state = excluded.state, started_ms = excluded.started_ms, last_ms = excluded.last_ms,"
                        + " payload = excluded.payload WHERE excluded.last_ms >= last_ms");
                long newest = 0;
                for (InstanceNote instance : instances) {
                    note.setString(1, instance.service());
                    note.setString(2, instance.instanceId());
                    note.setString(3, instance.state().name());
                    note.setLong(4, instance.startedAt().toEpochMilli());
                    note.setLong(5, instance.lastAt().toEpochMilli());
                    note.setString(6, instance.payload());
                    note.executeUpdate();
                    newest = Math.max(newest, instance.lastAt().toEpochMilli());
                }
                db.bound("DELETE FROM instances WHERE last_ms < ?", newest - FORGOTTEN_AFTER_MS).executeUpdate();
            }
            PreparedStatement upsert = db.statement("INSERT INTO traffic (domain, type, count, last_ms, last_payload)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (domain, type) DO UPDATE SET count = count + excluded.count,"
                    + " last_payload = CASE WHEN excluded.last_ms >= last_ms THEN coalesce(excluded.last_payload, last_payload)"
                    + " ELSE last_payload END, last_ms = max(last_ms, excluded.last_ms)");
            for (Traffic sum : sums) {
                upsert.setString(1, sum.domain());
                upsert.setString(2, sum.type().value());
                upsert.setLong(3, sum.count());
                upsert.setLong(4, sum.last().toEpochMilli());
                upsert.setString(5, sum.lastPayload().orElse(null));
                upsert.executeUpdate();
            }
            return null;
        });
    }

    List<InstanceNote> instances() {
        return db.read(() -> {
            List<InstanceNote> all = new ArrayList<>();
            try (ResultSet rows = db.statement("SELECT service, instance_id, state, started_ms, last_ms, payload FROM instances"
                    + " ORDER BY service, started_ms").executeQuery()) {
                while (rows.next()) {
                    all.add(new InstanceNote(rows.getString(1), rows.getString(2), InstanceNote.State.valueOf(rows.getString(3)),
                            Instant.ofEpochMilli(rows.getLong(4)), Instant.ofEpochMilli(rows.getLong(5)), rows.getString(6)));
                }
            }
            return all;
        });
    }

    List<Traffic> all() {
        return db.read(() -> {
            List<Traffic> all = new ArrayList<>();
            try (ResultSet rows = db.statement("SELECT domain, type, count, last_ms, last_payload FROM traffic"
                    + " ORDER BY domain, type").executeQuery()) {
                while (rows.next()) {
                    all.add(new Traffic(rows.getString(1), Topic.of(rows.getString(2)), rows.getLong(3),
                            Instant.ofEpochMilli(rows.getLong(4)), Optional.ofNullable(rows.getString(5))));
                }
            }
            return all;
        });
    }
}
