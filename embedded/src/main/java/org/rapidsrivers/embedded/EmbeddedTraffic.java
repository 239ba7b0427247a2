package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.operate.TrafficNotes;
import org.rapidsrivers.core.plane.TrafficRecorder;

/** Understands the embedded traffic notes: one row per publisher and event type, summed batch by batch. */
final class EmbeddedTraffic implements TrafficRecorder {
    private final Database db;

    EmbeddedTraffic(Database db) {
        this.db = db;
    }

    @Override
    public void record(List<Event> routed) {
        List<Traffic> sums = TrafficNotes.sum(routed);
        if (sums.isEmpty()) {
            return;
        }
        db.write(() -> {
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
