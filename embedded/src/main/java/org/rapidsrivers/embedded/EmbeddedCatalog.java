package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.SortedSet;
import java.util.TreeSet;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Catalog;

/** Understands the embedded catalog of advertised topics. */
final class EmbeddedCatalog implements Catalog {
    private final Database db;
    private final Clock clock;

    EmbeddedCatalog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public boolean advertise(Topic topic) {
        return db.write(() -> {
            PreparedStatement insert = db.bound("INSERT OR IGNORE INTO catalog (topic, advertised_ms) VALUES (?, ?)",
            topic.value(), clock.millis());
            return insert.executeUpdate() > 0;
        });
    }

    @Override
    public SortedSet<Topic> topics() {
        return db.read(() -> {
            SortedSet<Topic> topics = new TreeSet<>();
            try (ResultSet rows = db.statement("SELECT topic FROM catalog").executeQuery()) {
                while (rows.next()) {
                    topics.add(Topic.of(rows.getString(1)));
                }
            }
            return topics;
        });
    }
}
