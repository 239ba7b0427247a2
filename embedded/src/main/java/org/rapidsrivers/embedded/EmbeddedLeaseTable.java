package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.rapidsrivers.core.plane.LeaseTable;

/**
 * Understands the stage's leases as rows of the {@code leases} table, each change a compare-and-set in
 * a write transaction; a released lease keeps its row and generation, so a holder that lost the lease
 * stays fenced off whoever takes it next.
 */
final class EmbeddedLeaseTable implements LeaseTable {
    private final Database db;

    EmbeddedLeaseTable(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Row> read(String lease) {
        return db.read(() -> row(lease));
    }

    @Override
    public OptionalLong take(String lease, String holder, Optional<Row> observed, Instant stamp) {
        return db.write(() -> {
            Optional<Row> now = row(lease);
            if (!now.map(LeaseTable.Row::withoutStamp).equals(observed.map(LeaseTable.Row::withoutStamp))) {
                return OptionalLong.empty();
            }
            long generation = now.map(r -> r.generation() + 1).orElse(1L);
            PreparedStatement upsert = db.bound("INSERT INTO leases (name, holder, generation, renewals, stamped_ms)"
                    + " VALUES (?, ?, ?, 0, ?) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                    + " generation = excluded.generation, renewals = 0, stamped_ms = excluded.stamped_ms",
                    lease, holder, generation, stamp.toEpochMilli());
            upsert.executeUpdate();
            return OptionalLong.of(generation);
        });
    }

    @Override
    public boolean renew(String lease, String holder, long generation, Instant stamp) {
        return db.write(() -> {
            PreparedStatement update = db.bound("UPDATE leases SET renewals = renewals + 1, stamped_ms = ?"
                    + " WHERE name = ? AND holder = ? AND generation = ?", stamp.toEpochMilli(), lease, holder, generation);
            return update.executeUpdate() == 1;
        });
    }

    @Override
    public void release(String lease, String holder, long generation) {
        db.write(() -> {
            PreparedStatement update = db.bound("UPDATE leases SET holder = '', renewals = renewals + 1"
                    + " WHERE name = ? AND holder = ? AND generation = ?", lease, holder, generation);
            update.executeUpdate();
            return null;
        });
    }

    /** True when the holder still holds the lease at that generation; inside a write, the fence of that write. */
    boolean holds(String lease, String holder, long generation) {
        return db.read(() -> row(lease).filter(r -> r.holder().equals(holder) && r.generation() == generation).isPresent());
    }

    private Optional<Row> row(String lease) throws SQLException {
        PreparedStatement select = db.statement("SELECT holder, generation, renewals, stamped_ms FROM leases WHERE name = ?");
        select.setString(1, lease);
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(new Row(rows.getString(1), rows.getLong(2), rows.getLong(3),
                    Instant.ofEpochMilli(rows.getLong(4)))) : Optional.empty();
        }
    }
}
