package org.rapidsrivers.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log is copied into the stage's file by a thread of the process, not inside a commit: a
 * commit leaves its pages in the log (what the file alone holds does not change), and the checkpointer
 * copies them soon after. Read here with SQLite's immutable mode, which reads the file and ignores the log.
 */
class CheckpointerTest {
    private static final Duration BUSY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aCommitLeavesItsPagesInTheLogAndTheCheckpointerCopiesThemIntoTheFile() throws Exception {
        Path file = dir.resolve("stage.db");
        try (Connection writer = Database.connect(file, BUSY)) {
            execute(writer, "CREATE TABLE t (x INTEGER)");
            for (int i = 0; i < 50; i++) {
                execute(writer, "INSERT INTO t VALUES (" + i + ")");
            }
            assertThat(rowsInTheFileAlone(file)).as("a commit does not checkpoint below the backstop").isEqualTo(-1);

            try (Checkpointer checkpointer = new Checkpointer(() -> Database.connect(file, BUSY), Duration.ofMillis(20), new WalGuard(file))) {
                checkpointer.wrote();
                eventually().until(() -> rowsInTheFileAlone(file) == 50);
                assertThat(checkpointer.checkpoints()).isPositive();
            }
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("rr-checkpoint") && t.isAlive());
        }
    }

    @Test
    void aStageCopiesWhatItWroteAndClosingItStopsTheCheckpointerAndRemovesTheLog() throws Exception {
        Path file = dir.resolve("stage.db");
        Database database = Database.open(dir, "stage.db", BUSY, false);
        database.write(() -> {
            database.statement("CREATE TABLE t (x INTEGER)").execute();
            return database.statement("INSERT INTO t VALUES (1)").executeUpdate();
        });
        eventually().until(() -> rowsInTheFileAlone(file) == 1);

        database.close();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("rr-checkpoint") && t.isAlive());
        assertThat(Files.exists(Path.of(file + "-wal"))).as("the last connection closed checkpoints and removes the log").isFalse();
    }

    /**
     * Waits for the file to show what was copied. Read as immutable, the file may be caught while a checkpoint
     * writes it: such a read can fail as malformed, and counts as not yet (the wait still has to end in the
     * rows expected, or it fails). A rehearsal with a busy loop beside it caught one.
     */
    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(SQLException.class);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Rows of t in the database file as it is on disk, the log ignored; -1 when the table is not there yet. */
    private static int rowsInTheFileAlone(Path file) throws SQLException {
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?immutable=1");
             Statement statement = reader.createStatement();
             var tables = statement.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 't'")) {
            if (tables.getInt(1) == 0) {
                return -1;
            }
            try (var rows = reader.createStatement().executeQuery("SELECT count(*) FROM t")) {
                return rows.getInt(1);
            }
        }
    }
}
