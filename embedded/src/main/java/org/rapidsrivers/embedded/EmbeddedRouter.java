package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.RouteResult;
import org.rapidsrivers.core.plane.Router;

/**
 * Understands how to deliver events to the rivers subscribed to their type, and to the rivers whose content
 * filter on that type they meet ({@link FilterMatcher}): the embedded counterpart of SNS with filter policies. A batch is delivered whole or not at all. It routes
 * records of the embedded rapids only: a message names the record it delivers.
 */
final class EmbeddedRouter implements Router {
    private final Database db;
    private final Clock clock;
    private final Doorbell doorbell;
    private final ThisProcess me;
    private final AtomicLong calls = new AtomicLong();
    /** Used inside the routing transaction only, which one thread holds at a time. */
    private FilterMatcher matcher;

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
                    + " stamped_ms, stamped_by) SELECT river, ?, ?, ?, 0, ?, ? FROM river_topics WHERE topic = ? AND from_seq < ?"
                    + " AND filter IS NULL");
            FilterMatcher filters = filters();
            Set<String> types = new HashSet<>();
            Set<String> rivers = new HashSet<>();
            for (EventRecord routed : events) {
                if (filters.filters(routed.event().type().value())) {
                    rivers.addAll(routeFiltered(filters, routed, now));
                }
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
            PreparedStatement subscribed = db.statement("SELECT river FROM river_topics WHERE topic = ? AND filter IS NULL");
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

    /**
     * The rivers whose filter on the event's type it meets get it, each from its subscription on (inside the
     * routing transaction).
     */
    private Set<String> routeFiltered(FilterMatcher filters, EventRecord routed, long now) throws SQLException {
        Set<String> reached = new HashSet<>();
        List<String> matched = filters.rivers(routed.record().text());
        if (matched.isEmpty()) {
            return reached;
        }
        PreparedStatement insert = db.statement("INSERT OR IGNORE INTO messages (queue, id, sent_ms, visible_ms, receives,"
                + " stamped_ms, stamped_by) SELECT river, ?, ?, ?, 0, ?, ? FROM river_topics WHERE river = ? AND topic = ?"
                + " AND from_seq < ? AND filter IS NOT NULL");
        long seq = Long.parseLong(routed.record().sequenceNumber());
        for (String river : new HashSet<>(matched)) {
            insert.setLong(1, seq);
            insert.setLong(2, now);
            insert.setLong(3, now);
            insert.setLong(4, now);
            insert.setLong(5, me.id());
            insert.setString(6, river);
            insert.setString(7, routed.event().type().value());
            insert.setLong(8, seq);
            if (insert.executeUpdate() > 0) {
                reached.add(river);
            }
        }
        return reached;
    }

    /** The filtered subscriptions as they are now (another process may have changed them); the matcher made again if so. */
    private FilterMatcher filters() throws SQLException {
        List<FilterMatcher.Filtered> now = new ArrayList<>();
        try (ResultSet rows = db.statement("SELECT river, topic, filter FROM river_topics WHERE filter IS NOT NULL"
                + " ORDER BY river, topic").executeQuery()) {
            while (rows.next()) {
                now.add(new FilterMatcher.Filtered(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        }
        if (matcher == null || !matcher.madeFrom(now)) {
            matcher = new FilterMatcher(now);
        }
        return matcher;
    }

    /** One transaction per call. */
    @Override
    public long calls() {
        return calls.get();
    }
}
