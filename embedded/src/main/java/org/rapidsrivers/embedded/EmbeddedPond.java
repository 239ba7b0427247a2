package org.rapidsrivers.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands one service's pond in the stage's database (table {@code ponds}): one file for the whole
 * stage, private to its owner like the rest of the data directory, every change committed before the
 * call returns, conditional changes decided inside one write transaction, so instances of the service
 * in several processes see one pond. Expired entries read as absent and are swept now and then.
 */
final class EmbeddedPond implements Pond {
    private static final int SWEEP_EVERY = 1000;

    private final Database db;
    private final Clock clock;
    private final String service;
    private final AtomicLong writes = new AtomicLong();

    EmbeddedPond(Database db, Clock clock, String service) {
        this.db = db;
        this.clock = clock;
        this.service = service;
    }

    @Override
    public Optional<JsonNode> get(String key) {
        return db.read(() -> live(key)).map(Json::parse);
    }

    @Override
    public void put(String key, JsonNode value, Duration keep) {
        String text = Pond.check(key, value);
        long expires = Pond.expiresAt(clock, keep);
        db.write(() -> {
            upsert(key, text, expires);
            return null;
        });
        sweepNowAndThen();
    }

    @Override
    public JsonNode putIfAbsent(String key, JsonNode value, Duration keep) {
        String text = Pond.check(key, value);
        long expires = Pond.expiresAt(clock, keep);
        String held = db.write(() -> {
            Optional<String> now = live(key);
            if (now.isPresent()) {
                return now.get();
            }
            upsert(key, text, expires);
            return text;
        });
        sweepNowAndThen();
        return Json.parse(held);
    }

    @Override
    public boolean compareAndSet(String key, Optional<JsonNode> expected, JsonNode value, Duration keep) {
        String text = Pond.check(key, value);
        long expires = Pond.expiresAt(clock, keep);
        Optional<String> wanted = expected.map(Json::compact);
        boolean set = db.write(() -> {
            if (!live(key).equals(wanted)) {
                return false;
            }
            upsert(key, text, expires);
            return true;
        });
        sweepNowAndThen();
        return set;
    }

    @Override
    public void remove(String key) {
        db.write(() -> {
            PreparedStatement delete = db.bound("DELETE FROM ponds WHERE service = ? AND key = ?", service, key);
            delete.executeUpdate();
            return null;
        });
    }

    @Override
    public SortedMap<String, JsonNode> withPrefix(String prefix) {
        long now = clock.millis();
        return db.read(() -> {
            SortedMap<String, JsonNode> found = new TreeMap<>();
            PreparedStatement select = db.bound("SELECT key, value FROM ponds WHERE service = ? AND key >= ?"
                    + " AND substr(key, 1, ?) = ? AND (expires_ms = 0 OR expires_ms > ?) ORDER BY key",
                    service, prefix, prefix.length(), prefix, now);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getString(1), Json.parse(rows.getString(2)));
                }
            }
            return found;
        });
    }

    /** Whether the service has anything in its pond, expired or not. */
    boolean isEmpty() {
        return db.read(() -> {
            PreparedStatement select = db.statement("SELECT 1 FROM ponds WHERE service = ? LIMIT 1");
            select.setString(1, service);
            try (ResultSet rows = select.executeQuery()) {
                return !rows.next();
            }
        });
    }

    private Optional<String> live(String key) throws SQLException {
        PreparedStatement select = db.bound("SELECT value, expires_ms FROM ponds WHERE service = ? AND key = ?",
        service, key);
        try (ResultSet rows = select.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            long expires = rows.getLong(2);
            return expires == 0 || expires > clock.millis() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
    }

    private void upsert(String key, String text, long expires) throws SQLException {
        PreparedStatement upsert = db.bound("INSERT INTO ponds (service, key, value, expires_ms) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (service, key) DO UPDATE SET value = excluded.value, expires_ms = excluded.expires_ms",
                service, key, text, expires);
        upsert.executeUpdate();
    }

    /** What no one can read any more is deleted every thousandth write. */
    private void sweepNowAndThen() {
        if (writes.incrementAndGet() % SWEEP_EVERY == 0) {
            long now = clock.millis();
            db.write(() -> {
                PreparedStatement sweep = db.bound("DELETE FROM ponds WHERE service = ? AND expires_ms > 0 AND expires_ms <= ?",
                service, now);
                sweep.executeUpdate();
                return null;
            });
        }
    }
}
