package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.RouteResult;
import org.rapidsrivers.core.plane.Router;

/**
 * Understands how to deliver events to the rivers subscribed to their type, the embedded
 * counterpart of SNS with filter policies. A batch is delivered whole or not at all. It routes
 * records of the embedded rapids only: a message names the record it delivers.
 */
final class EmbeddedRouter implements Router {
    private final Database db;
    private final Clock clock;
    private final Doorbell doorbell;
    private final ThisProcess me;
    private final AtomicLong calls = new AtomicLong();

    EmbeddedRouter(Database db, Clock clock, Doorbell doorbell, ThisProcess me) {
        this.db = db;
        this.clock = clock;
        this.doorbell = doorbell;
        this.me = me;
    }

    @Override
    public RouteResult route(List<EventRecord> events) {
        long now = clock.millis();
        calls.incrementAndGet();
        Set<String> reached = db.write(() -> {
            // One statement per event: SQLite finds the subscribed rivers and adds the record to each.
            // A record already in a river is not added twice, nor one that came before the river's subscription
            // (a backfill's to give).
            PreparedStatement insert = db.statement("INSERT OR IGNORE INTO messages (queue, id, sent_ms, visible_ms, receives,"
                    + " stamped_ms, stamped_by) SELECT river, ?, ?, ?, 0, ?, ? FROM river_topics WHERE topic = ? AND from_seq < ?");
            Set<String> types = new HashSet<>();
            for (EventRecord routed : events) {
                insert.setLong(1, Long.parseLong(routed.record().sequenceNumber()));
                insert.setLong(2, now);
                insert.setLong(3, now);
                insert.setLong(4, now);
                insert.setLong(5, me.id());
                insert.setString(6, routed.event().type().value());
                insert.setLong(7, Long.parseLong(routed.record().sequenceNumber()));
                if (insert.executeUpdate() > 0) {
                    types.add(routed.event().type().value());
                }
            }
            // the rivers of the types delivered: one look per type, not a row back per message
            Set<String> rivers = new HashSet<>();
            PreparedStatement subscribed = db.statement("SELECT river FROM river_topics WHERE topic = ?");
            for (String type : types) {
                subscribed.setString(1, type);
                try (ResultSet rows = subscribed.executeQuery()) {
                    while (rows.next()) {
                        rivers.add(rows.getString(1));
                    }
                }
            }
            return rivers;
        });
        // only the readers of the rivers reached look again
        reached.forEach(river -> doorbell.river(river).ring());
        return RouteResult.delivered();
    }

    /** One transaction per call. */
    @Override
    public long calls() {
        return calls.get();
    }
}
