package org.rapidsrivers.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Understands keeping a stage's write-ahead log short without making a writer wait for it. SQLite's own
 * checkpoint runs inside the commit that crosses its threshold: that commit (and, with one connection per
 * process, every read and write of the process queued behind it) waits while the log is copied into the
 * file and both are synced, which on the offers scenario was a 50-160 ms stall every seven page views.
 * Here one thread per process, on a connection of its own, copies what was committed since its last
 * look, once a second ({@link #EVERY}) and only after a commit of this process: a passive checkpoint, which
 * never waits for readers or writers and which they never wait for. SQLite's automatic checkpoint stays
 * as a backstop at {@link #BACKSTOP_PAGES}, should this thread fall behind.
 */
final class Checkpointer implements AutoCloseable {
    /** How often a process that writes copies its log into the file. */
    static final Duration EVERY = Duration.ofSeconds(1);
    /** Pages the log may grow to before a commit checkpoints by itself (SQLite's default is 1,000). */
    static final int BACKSTOP_PAGES = 16_384;

    private final Callable<Connection> connect;
    private final Duration every;
    private final Object turn = new Object();
    private final StageThread thread = new StageThread("rr-checkpoint");
    private final WalGuard log;
    private Connection connection;
    private volatile boolean written;
    private volatile long checkpoints;

    /**
     * {@code connect}: opens a connection of its own to the stage's file; {@code every}: how often it looks;
     * {@code log}: whether the log may be copied (never once it was cut short: it would copy zeros).
     */
    Checkpointer(Callable<Connection> connect, Duration every, WalGuard log) {
        this.connect = connect;
        this.every = every;
        this.log = log;
    }

    /** After a commit of this process: its pages are copied at the next turn (the thread starts with the first). */
    void wrote() {
        written = true;
        if (!thread.startedOrStopped()) {
            thread.start(this::run);
        }
    }

    private void run() {
        while (!thread.stopped()) {
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (written && !thread.stopped() && (log.problem() == null || !log.cut())) {
                written = false;
                checkpoint();
            }
        }
    }

    /** One passive checkpoint; a failure (a full disk, the file gone) is left for the next turn or the backstop. */
    private void checkpoint() {
        synchronized (turn) {
            try {
                if (connection == null) {
                    connection = connect.call();
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
                }
                checkpoints++;
            } catch (Exception failed) {
                closeConnection();
            }
        }
    }

    /** How many checkpoints this process made (for tests). */
    long checkpoints() {
        return checkpoints;
    }

    /** Stops the thread and waits for it, then closes its connection, so the stage's file can close after it. */
    @Override
    public void close() {
        thread.stopAndWait();
        synchronized (turn) {
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to do with it either way
            }
            connection = null;
        }
    }
}
