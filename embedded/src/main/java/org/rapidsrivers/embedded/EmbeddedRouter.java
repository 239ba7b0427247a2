package org.rapidsrivers.embedded;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.RouteResult;
import org.rapidsrivers.core.plane.Router;

/**
 * Understands how to deliver events to the rivers subscribed to their type, and to the rivers whose content
 * filter on that type they meet ({@link FilterMatcher}): the embedded counterpart of SNS with filter policies.
 * A batch is delivered whole or not at all. It routes
 * records of the embedded rapids only: a message names the record it delivers.
 */
final class EmbeddedRouter implements Router {
    private final Database db;
    private final Clock clock;
    private final Doorbell doorbell;
    private final ThisProcess me;
    private final AtomicLong calls = new AtomicLong();
    /** The matcher of the subscriptions last read (guarded by this router). */
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
        // matched before the routing transaction, so the write lock is held for the inserts only
        List<Matched> matches = matchFilters(events);
        Set<String> reached = db.write(() -> {
            // One statement per event: SQLite finds the subscribed rivers and adds the record to each.
            // A record already in a river is not added twice, nor one that came before the river's subscription
            // (a backfill's to give).
            PreparedStatement insert = db.statement("INSERT OR IGNORE INTO messages (queue, id, sent_ms, visible_ms, receives,"
                    + " stamped_ms, stamped_by) SELECT river, ?, ?, ?, 0, ?, ? FROM river_topics WHERE topic = ? AND from_seq < ?"
                    + " AND filter IS NULL");
            Set<String> types = new HashSet<>();
            Set<String> rivers = new HashSet<>();
            // a type some river filters: the same statement, with the rivers whose filter the event meets
            PreparedStatement filteredInsert = db.statement("INSERT OR IGNORE INTO messages (queue, id, sent_ms, visible_ms,"
                    + " receives, stamped_ms, stamped_by) SELECT river, ?, ?, ?, 0, ?, ? FROM river_topics WHERE topic = ?"
                    + " AND from_seq < ? AND (filter IS NULL OR river IN (SELECT value FROM json_each(?)))");
            // every river of the type: the filtered ones all matched
            PreparedStatement everyRiver = db.statement("INSERT OR IGNORE INTO messages (queue, id, sent_ms, visible_ms,"
                    + " receives, stamped_ms, stamped_by) SELECT river, ?, ?, ?, 0, ?, ? FROM river_topics WHERE topic = ?"
                    + " AND from_seq < ?");
            for (int i = 0; i < events.size(); i++) {
                EventRecord routed = events.get(i);
                Matched matched = matches.get(i);
                PreparedStatement into = insert;
                if (matched != null && matched.all()) {
                    into = everyRiver;
                } else if (matched != null && !matched.rivers().isEmpty()) {
                    filteredInsert.setString(8, matched.json());
                    into = filteredInsert;
                }
                if (matched != null) {
                    rivers.addAll(matched.rivers());
                }
                into.setLong(1, Long.parseLong(routed.record().sequenceNumber()));
                into.setLong(2, now);
                into.setLong(3, now);
                into.setLong(4, now);
                into.setLong(5, me.id());
                into.setString(6, routed.event().type().value());
                into.setLong(7, Long.parseLong(routed.record().sequenceNumber()));
                if (into.executeUpdate() > 0) {
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
     * For each event of a type some river filters, the rivers whose filter it meets (null for an
     * event of a type nobody filters). Read from the subscriptions as they are just before the routing
     * transaction: a filter changed in that instant applies from the next batch on (SNS takes minutes), and a
     * subscription made or removed in it is still honoured, since the insert joins the routing table as it is.
     */
    private List<Matched> matchFilters(List<EventRecord> events) {
        FilterMatcher filters = db.read(this::filters);
        List<Matched> matches = new ArrayList<>(events.size());
        Matched previous = null;
        String previousType = null;
        for (EventRecord routed : events) {
            if (!filters.filters(routed.event().type().value())) {
                matches.add(null);
                continue;
            }
            List<String> rivers = filters.rivers(routed.record().text());
            String type = routed.event().type().value();
            if (previous == null || !rivers.equals(previous.rivers()) || !type.equals(previousType)) {
                ArrayNode names = Json.array();
                rivers.forEach(names::add);
                previous = new Matched(rivers, Json.compact(names),
                        new HashSet<>(rivers).size() == filters.filtering(type));
                previousType = type;
            }
            matches.add(previous);
        }
        return matches;
    }

    /**
     * The rivers an event's content is for, the same as the JSON array the insert takes, and whether they are all
     * that filter its type (then the insert needs no list: none matched, it is the type's whole rivers' insert).
     */
    private record Matched(List<String> rivers, String json, boolean all) {
    }

    /** The filtered subscriptions as they are now (another process may have changed them); the matcher made again if so. */
    private synchronized FilterMatcher filters() throws SQLException {
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
