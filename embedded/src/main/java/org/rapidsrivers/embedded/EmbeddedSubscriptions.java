package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.SortedSet;
import java.util.TreeSet;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Subscriptions;

/** Understands the embedded routing table: which topics flow into which river. */
final class EmbeddedSubscriptions implements Subscriptions {
    private final Database db;

    EmbeddedSubscriptions(Database db) {
        this.db = db;
    }

    @Override
    public SortedSet<Topic> topicsOf(RiverName river) {
        return db.read(() -> {
            PreparedStatement select = db.statement("SELECT topic FROM river_topics WHERE river = ?");
            select.setString(1, river.value());
            SortedSet<Topic> topics = new TreeSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    topics.add(Topic.of(rows.getString(1)));
                }
            }
            return topics;
        });
    }

    @Override
    public void subscribe(RiverName river, Topic topic) {
        db.write(() -> {
            PreparedStatement exists = db.statement("SELECT 1 FROM rivers WHERE name = ?");
            exists.setString(1, river.value());
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    throw new InvalidInput("river '" + river + "' does not exist");
                }
            }
            // the subscription begins after the newest record: the fan-out routes it later ones only
            PreparedStatement insert = db.bound("INSERT OR IGNORE INTO river_topics (river, topic, from_seq)"
                    + " VALUES (?, ?, (SELECT coalesce(max(seq), 0) FROM records))", river.value(), topic.value());
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public void unsubscribe(RiverName river, Topic topic) {
        db.write(() -> {
            PreparedStatement delete = db.bound("DELETE FROM river_topics WHERE river = ? AND topic = ?",
            river.value(), topic.value());
            delete.executeUpdate();
            return null;
        });
    }
}
