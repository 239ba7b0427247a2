package org.rapidsrivers.embedded;

import org.rapidsrivers.core.testing.Needed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    void aDatabaseThatIsALinkIsNotFollowedWhereverItPoints() throws Exception {
        Path theirs = Files.writeString(dir.resolveSibling(dir.getFileName() + "-theirs"), "");
        Path dataDir = Files.createDirectory(dir.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(dataDir.resolve("dev.db"), theirs);

        assertThatThrownBy(() -> EmbeddedBackend.open(dataDir, Stage.DEFAULT))
                .isInstanceOf(BackendUnavailable.class)
                .hasMessage(dataDir.resolve("dev.db") + " is a symbolic link (to " + theirs + "): rr follows no link in its"
                        + " data directory, since rr would write wherever it points; remove it");
        assertThat(Files.size(theirs)).isZero();
    }

    @Test
    void aDirectoryOthersMayWriteHoldingWhatRrDidNotMakeIsRefused() throws Exception {
        Path dataDir = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path theirs = Files.writeString(dir.resolve("theirs"), "");
        Files.createSymbolicLink(dataDir.resolve("history"), theirs);

        assertThatThrownBy(() -> EmbeddedBackend.open(dataDir, Stage.DEFAULT))
                .isInstanceOf(BackendUnavailable.class)
                .hasMessage("data directory " + dataDir + " is writable by others (rwxrwxrwx) and holds the symbolic link"
                        + " history (to " + theirs + "), which rr did not make: another user could have planted it; use a"
                        + " directory of your own (--data-dir or RR_DATA_DIR), or remove it and chmod 700 the directory");
        assertThat(dataDir.resolve("dev.db")).doesNotExist();
    }

    @Test
    void aDirectoryOfRrsOwnFilesThatOthersMayWriteIsMadeOwnerOnlyAndSaysSo() throws Exception {
        try (EmbeddedBackend first = EmbeddedBackend.open(dir, Stage.DEFAULT)) {
            assertThat(first.databaseFile()).exists();
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream before = System.err;
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        try (EmbeddedBackend again = EmbeddedBackend.open(dir, Stage.DEFAULT)) {
            assertThat(again.databaseFile()).exists();
        } finally {
            System.setErr(before);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(said.toString(StandardCharsets.UTF_8)).isEqualTo("note: data directory " + dir
                + " was writable by others (rwxrwxrwx): made owner-only (rwx------)" + System.lineSeparator());
    }

    /** rr takes group's and others' rights away and never gives the owner back one they took from themselves. */
    @Test
    void onlyOthersRightsAreTakenTheOwnersStayAsTheOwnerSetThem() throws Exception {
        Path readOnly = Files.createFile(dir.resolve("dev.db"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--------"));
        Path shared = Files.createFile(dir.resolve("history"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));

        DataDirectory.privateFile(readOnly);
        DataDirectory.privateFile(shared);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(readOnly))).isEqualTo("r--------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-------");
        Path readable = Files.createDirectory(dir.resolve("readable"));
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-x---"));
        DataDirectory.prepare(readable);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(readable))).isEqualTo("rwx------");
    }

    /**
     * A directory another process made while this one was about to make it is guarded like any that was there:
     * here the other made it writable by all, with a file of its own in it, just before rr's own attempt.
     */
    @Test
    void aDirectoryMadeMeanwhileByAnotherIsGuardedLikeAnyOther() {
        Path contested = dir.resolve("contested");

        assertThatThrownBy(() -> DataDirectory.prepare(contested, path -> {
            Files.createDirectory(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(path.resolve("planted"), "x");
            throw new FileAlreadyExistsException(path.toString());
        })).isInstanceOf(BackendUnavailable.class).hasMessageContaining("is writable by others (rwxrwxrwx) and holds planted");
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws Exception {
        Needed.assume("root".equals(System.getProperty("user.name")),
                "giving a directory to another user (chown) needs root; CI runs as root");
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 4242);

        assertThatThrownBy(() -> EmbeddedBackend.open(theirs, Stage.DEFAULT))
                .isInstanceOf(BackendUnavailable.class)
                .hasMessage("data directory " + theirs.toRealPath() + " belongs to user " + Files.getOwner(theirs).getName()
                        + ", not to root: its owner controls what rr reads there; use a directory of your own (--data-dir or"
                        + " RR_DATA_DIR)");
        assertThat(theirs.resolve("dev.db")).doesNotExist();
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
