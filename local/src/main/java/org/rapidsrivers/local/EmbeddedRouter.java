package org.rapidsrivers.local;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.RouteResult;
import org.rapidsrivers.core.ports.Router;

/**
 * Understands how to deliver events to the rivers subscribed to their type, the embedded
 * counterpart of SNS with filter policies. A batch is delivered whole or not at all.
 */
final class EmbeddedRouter implements Router {
    private final Database db;
    private final Clock clock;
    private final Doorbell doorbell;

    EmbeddedRouter(Database db, Clock clock, Doorbell doorbell) {
        this.db = db;
        this.clock = clock;
        this.doorbell = doorbell;
    }

    @Override
    public RouteResult route(List<Event> events) {
        long now = clock.millis();
        int delivered = db.write(() -> {
            Map<String, List<String>> riversByTopic = new HashMap<>();
            PreparedStatement insert = db.statement(
                    "INSERT INTO messages (queue, body, sent_ms, visible_ms, receives) VALUES (?, ?, ?, ?, 0)");
            int count = 0;
            for (Event event : events) {
                List<String> rivers = riversByTopic.computeIfAbsent(event.type().value(), this::riversFor);
                if (rivers.isEmpty()) {
                    continue;
                }
                String body = event.toJson();
                for (String river : rivers) {
                    insert.setString(1, river);
                    insert.setString(2, body);
                    insert.setLong(3, now);
                    insert.setLong(4, now);
                    insert.executeUpdate();
                    count++;
                }
            }
            return count;
        });
        if (delivered > 0) {
            doorbell.ring();
        }
        return RouteResult.delivered();
    }

    private List<String> riversFor(String topic) {
        try {
            PreparedStatement select = db.statement("SELECT river FROM river_topics WHERE topic = ?");
            select.setString(1, topic);
            List<String> rivers = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    rivers.add(rows.getString(1));
                }
            }
            return rivers;
        } catch (java.sql.SQLException e) {
            throw Database.explain(e, db.file(), java.time.Duration.ZERO);
        }
    }
}
