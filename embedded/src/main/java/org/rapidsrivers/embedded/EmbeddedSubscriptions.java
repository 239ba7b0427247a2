package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Subscriptions;

/** Understands the embedded routing table: which topics flow into which river, and what of each (its filter's words). */
final class EmbeddedSubscriptions implements Subscriptions {
    private final Database db;

    EmbeddedSubscriptions(Database db) {
        this.db = db;
    }

    @Override
    public RiverPolicy policyOf(RiverName river) {
        return db.read(() -> {
            PreparedStatement select = db.statement("SELECT topic, filter FROM river_topics WHERE river = ?");
            select.setString(1, river.value());
            Map<Topic, ContentFilter> topics = new TreeMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    topics.put(Topic.of(rows.getString(1)), filterOf(rows.getString(2)));
                }
            }
            return new RiverPolicy(topics);
        });
    }

    /** The column holds the --where words as a JSON array, or null for the whole topic. */
    static ContentFilter filterOf(String column) {
        if (column == null) {
            return ContentFilter.WHOLE;
        }
        List<String> words = new ArrayList<>();
        Json.parse(column).forEach(word -> words.add(word.asText()));
        return ContentFilter.parse(words);
    }

    static String columnOf(ContentFilter filter) {
        if (filter.isWhole()) {
            return null;
        }
        ArrayNode words = Json.array();
        filter.words().forEach(words::add);
        return Json.compact(words);
    }

    @Override
    public void subscribe(RiverName river, Topic topic, ContentFilter filter) {
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
            // what the river wants of the topic from now on; when it began stays
            PreparedStatement filtered = db.statement("UPDATE river_topics SET filter = ? WHERE river = ? AND topic = ?"
                    + " AND filter IS NOT ?");
            String column = columnOf(filter);
            filtered.setString(1, column);
            filtered.setString(2, river.value());
            filtered.setString(3, topic.value());
            filtered.setString(4, column);
            filtered.executeUpdate();
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
