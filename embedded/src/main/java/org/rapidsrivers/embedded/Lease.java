package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * Understands the right of one process at a time to process a stream: a row with a holder and an
 * expiry. The holder renews it while it lives; when it dies, the lease expires and another process
 * takes it over.
 */
final class Lease {
    private final Database db;
    private final Clock clock;
    private final String name;
    private final String holder;
    private final Duration ttl;
    private long heldUntil;

    Lease(Database db, Clock clock, String name, String holder, Duration ttl) {
        this.db = db;
        this.clock = clock;
        this.name = name;
        this.holder = holder;
        this.ttl = ttl;
    }

    /** Renews the lease when half of it has run out, or takes it when it is free or expired; true if held afterwards. */
    boolean holdOrTake() {
        long now = clock.millis();
        if (heldUntil - now > ttl.toMillis() / 2) {
            return true;
        }
        if (heldElsewhere(now)) {
            heldUntil = 0;
            return false;
        }
        heldUntil = db.write(() -> {
            Holding current = current();
            if (current != null && !current.holder().equals(holder) && current.expiresMs() > now) {
                return 0L;
            }
            PreparedStatement upsert = db.statement("INSERT INTO leases (name, holder, expires_ms) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms");
            upsert.setString(1, name);
            upsert.setString(2, holder);
            upsert.setLong(3, now + ttl.toMillis());
            upsert.executeUpdate();
            return now + ttl.toMillis();
        });
        return heldUntil > now;
    }

    /** Checked inside the transaction that processes a batch, so a process that lost its lease changes nothing. */
    boolean stillHeld() {
        long now = clock.millis();
        return db.read(() -> {
            Holding current = current();
            return current != null && current.holder().equals(holder) && current.expiresMs() > now;
        });
    }

    private boolean heldElsewhere(long now) {
        return db.read(() -> {
            Holding current = current();
            return current != null && !current.holder().equals(holder) && current.expiresMs() > now;
        });
    }

    void release() {
        heldUntil = 0;
        db.write(() -> {
            PreparedStatement delete = db.statement("DELETE FROM leases WHERE name = ? AND holder = ?");
            delete.setString(1, name);
            delete.setString(2, holder);
            delete.executeUpdate();
            return null;
        });
    }

    private Holding current() throws java.sql.SQLException {
        PreparedStatement select = db.statement("SELECT holder, expires_ms FROM leases WHERE name = ?");
        select.setString(1, name);
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? new Holding(rows.getString(1), rows.getLong(2)) : null;
        }
    }

    private record Holding(String holder, long expiresMs) {
    }
}
