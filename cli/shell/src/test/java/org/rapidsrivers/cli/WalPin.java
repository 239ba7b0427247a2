package org.rapidsrivers.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * Understands making every later commit to a stage's file need new disk space, so a test that fills the
 * disk knows the processes' next writes are refused. SQLite writes a commit into its write-ahead log,
 * and once the log has been copied into the file the next writer starts the log over from its beginning,
 * in blocks the log already has: on a full disk such a write succeeds, and whether a given write needs a
 * new block is chance. A reader that began while the log held frames not yet copied keeps the log from
 * starting over until it ends (as a long {@code rr status} or a backup would): every commit meanwhile is
 * appended to the log's end, and the log is first cut to nothing, so that end is the file's end (a log
 * keeps the size it once grew to, and is written over from its beginning). The pin is checked, not
 * assumed: a later commit must stay uncopied.
 */
final class WalPin implements AutoCloseable {
    private final Connection reader;

    private WalPin(Connection reader) {
        this.reader = reader;
    }

    /** Holds a reader on the stage's file in {@code dataDir}; fails if ten tries could not pin the log. */
    static WalPin hold(Path dataDir, Stage stage) throws SQLException {
        String url = "jdbc:sqlite:" + dataDir.resolve(stage.value() + ".db");
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, stage);
             Connection checker = DriverManager.getConnection(url)) {
            var pond = backend.pond("faults-test");
            cutTheLog(checker);
            for (int attempt = 0; attempt < 10; attempt++) {
                pond.put("pin", Json.object().put("attempt", attempt));
                Connection reader = DriverManager.getConnection(url);
                try (Statement statement = reader.createStatement()) {
                    reader.setAutoCommit(false);
                    statement.executeQuery("SELECT count(*) FROM sqlite_master").close();
                }
                if (pinned(pond, checker)) {
                    return new WalPin(reader);
                }
                reader.close();
            }
        }
        throw new IllegalStateException("could not pin the write-ahead log of " + url + " in ten tries");
    }

    /** Copies the whole log into the file and cuts it to nothing, tried until no reader or writer is in the way. */
    private static void cutTheLog(Connection checker) throws SQLException {
        try (Statement statement = checker.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 5000");
            for (int attempt = 0; attempt < 100; attempt++) {
                try (var result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    result.next();
                    if (result.getInt(1) == 0) {
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("could not cut the write-ahead log short in 100 tries");
    }

    /** Pinned when a commit after the reader began stays in the log after a checkpoint, three times running. */
    private static boolean pinned(Pond pond, Connection checker) throws SQLException {
        for (int look = 0; look < 3; look++) {
            pond.put("pin-check", Json.object().put("look", look));
            try (Statement statement = checker.createStatement();
                 var result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                result.next();
                if (result.getInt(3) >= result.getInt(2)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Ends the reader: the log may start over again. */
    @Override
    public void close() throws SQLException {
        reader.rollback();
        reader.close();
    }
}
