package org.rapidsrivers.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.names.Stage;

class DataDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aMissingDataDirectoryIsCreated() {
        Path nested = dir.resolve("a/b/.rapids");
        try (EmbeddedBackend backend = EmbeddedBackend.open(nested, Stage.DEFAULT)) {
            assertThat(backend.databaseFile()).isEqualTo(nested.resolve("dev.db"));
        }
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsRefusedClearly() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "hello");

        assertThatThrownBy(() -> EmbeddedBackend.open(file, Stage.DEFAULT))
                .isInstanceOf(BackendUnavailable.class)
                .hasMessage("data directory " + file + " is not a directory");
    }

    @Test
    void aDatabaseFileThatIsNotOursIsRefusedClearly() throws Exception {
        Files.writeString(dir.resolve("dev.db"), "this is not a database, it is a text file that is long enough".repeat(20));

        assertThatThrownBy(() -> EmbeddedBackend.open(dir, Stage.DEFAULT))
                .isInstanceOf(BackendUnavailable.class)
                .hasMessageEndingWith("dev.db is not an rr database (it is corrupt or another kind of file)");
    }

    @Test
    void aDataDirectoryLockedByAnotherProcessIsReportedAfterTheBusyTimeout() throws Exception {
        try (EmbeddedBackend first = EmbeddedBackend.open(dir, Stage.DEFAULT)) {
            assertThat(first.databaseFile()).exists();
        }
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dev.db"));
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");

            assertThatThrownBy(() -> EmbeddedBackend.open(EmbeddedBackend.Options.of(dir, Stage.DEFAULT)
                    .withBusyTimeout(Duration.ofMillis(300))))
                    .isInstanceOf(BackendUnavailable.class)
                    .hasMessageStartingWith("data directory is locked: " + dir.resolve("dev.db"))
                    .hasMessageContaining("another process holds it");

            statement.execute("ROLLBACK");
        }
    }
}
