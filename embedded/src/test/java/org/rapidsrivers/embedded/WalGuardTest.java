package org.rapidsrivers.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Pond;

/**
 * A stage's write-ahead log removed or cut short under a process is noticed at its next write, which is
 * refused in one line; what the removed log held is copied into the file first, so nothing acknowledged
 * is lost; and SQLite's own emptying of the log is no fault.
 */
class WalGuardTest {
    private static final Stage STAGE = Stage.of("wal");
    private final List<String> said = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void listen() {
        WalGuard.sayTo(said::add);
    }

    @AfterEach
    void stopListening() {
        WalGuard.sayTo(System.err::println);
    }

    @Test
    void aLogRemovedUnderAWriterRefusesItsNextWriteAndWhatItHeldIsKept() throws Exception {
        AtomicInteger acknowledged;
        try (EmbeddedBackend writer = EmbeddedBackend.open(dir, STAGE)) {
            Pond pond = writer.pond("guarded");
            for (int i = 0; i < 100; i++) {
                pond.put("k" + i, Json.object().put("i", i));
            }
            Files.delete(wal());
            // a write within the guard's look (10 ms) may still be acknowledged, into the removed log
            acknowledged = new AtomicInteger(100);
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> {
                try {
                    pond.put("k" + acknowledged.get(), Json.object());
                    acknowledged.incrementAndGet();
                    return false;
                } catch (BackendUnavailable refused) {
                    return true;
                }
            });
            assertThat(acknowledged.get()).isLessThan(150);

            assertThatThrownBy(() -> pond.put("after", Json.object())).isInstanceOf(BackendUnavailable.class)
                    .hasMessage("the stage's write-ahead log " + wal() + " was removed under this process: writes are refused"
                            + " from now (reads may miss the latest commits); stop every process of the stage (rr status lists"
                            + " them), then start again, and SQLite makes a new log");
            assertThatThrownBy(() -> pond.put("later", Json.object())).as("for good").isInstanceOf(BackendUnavailable.class);
            assertThat(said).hasSize(2);
            assertThat(said.get(1)).startsWith("rr: copied the removed log's commits (").endsWith("nothing acknowledged before is lost");
        }
        try (EmbeddedBackend next = EmbeddedBackend.open(dir, STAGE)) {
            Pond pond = next.pond("guarded");
            assertThat(pond.withPrefix("k")).as("every write acknowledged is kept").hasSize(acknowledged.get());
            assertThat(pond.get("after")).isEmpty();
            pond.put("next", Json.object());
        }
    }

    @Test
    void aLogCutShortRefusesTheNextWrite() throws Exception {
        try (EmbeddedBackend writer = EmbeddedBackend.open(dir, STAGE);
             Connection reader = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("wal.db"))) {
            Pond pond = writer.pond("guarded");
            for (int i = 0; i < 20; i++) {
                pond.put("k" + i, Json.object().put("i", i));
            }
            // a reader in the log (as a long rr status would be) keeps the next commit from starting the log
            // over, so it is appended after the hole the cut left
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM sqlite_master").close();
            }
            try (FileChannel log = FileChannel.open(wal(), StandardOpenOption.WRITE)) {
                log.truncate(0);
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> refused(pond));

            assertThatThrownBy(() -> pond.put("after", Json.object())).isInstanceOf(BackendUnavailable.class)
                    .hasMessageContaining(wal() + " was cut short under this process: the commits it held since the last"
                            + " checkpoint are gone: writes are refused from now");
            assertThat(said).singleElement().asString().startsWith("rr: the stage's write-ahead log");
        }
    }

    @Test
    void sqliteEmptyingItsOwnLogIsNoFault() throws Exception {
        try (EmbeddedBackend writer = EmbeddedBackend.open(dir, STAGE);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("wal.db"))) {
            Pond pond = writer.pond("guarded");
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 10; i++) {
                    pond.put("k" + round + "-" + i, Json.object().put("i", i));
                }
                try (Statement statement = other.createStatement()) {
                    statement.execute("PRAGMA busy_timeout = 5000");
                    statement.executeQuery("PRAGMA wal_checkpoint(" + (round % 2 == 0 ? "TRUNCATE" : "RESTART") + ")").close();
                }
            }
            pond.put("last", Json.object());
            assertThat(pond.withPrefix("k")).hasSize(200);
            assertThat(said).isEmpty();
        }
    }

    private static boolean refused(Pond pond) {
        try {
            pond.put("probe", Json.object());
            return false;
        } catch (BackendUnavailable refused) {
            return true;
        }
    }

    private Path wal() {
        return dir.resolve("wal.db-wal");
    }
}
