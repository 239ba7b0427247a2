package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * Understands this process as the stage knows it when it stamps a time on a message: one row of the
 * {@code processes} table (its pid and what it runs), made on its first stamp, so status can say whose
 * clock a stamp came from. A stamp later than the reader's own time by more than {@link #TOLERANCE} was
 * made by a clock that runs ahead, and counts for nothing: the message is visible now.
 */
final class ThisProcess {
    /** How far ahead a stamp may be before it is taken for a clock that runs ahead. */
    static final Duration TOLERANCE = Duration.ofSeconds(1);

    private final Database db;
    private final Clock clock;
    private volatile long id = -1;

    ThisProcess(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * This process's row, made on first use (inside or outside a write). Made inside the write that checks
     * for it, never under a lock of its own: a writer that needs the id while another thread waits for the
     * write lock to make it would otherwise wait for each other for ever.
     */
    long id() {
        long known = id;
        if (known >= 0) {
            return known;
        }
        return db.write(() -> {
            if (id < 0) {
                PreparedStatement insert = db.bound("INSERT INTO processes (pid, command, started_ms) VALUES (?, ?, ?)"
                        + " RETURNING id", ProcessHandle.current().pid(), command(), clock.millis());
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    id = rows.getLong(1);
                }
            }
            return id;
        });
    }

    /** What the process runs, as rr names it (rr.process, set by the shell: "rr service location"), never its arguments' data. */
    static String command() {
        String named = System.getProperty("rr.process");
        return named == null || named.isBlank() ? "a Java process" : named;
    }
}
