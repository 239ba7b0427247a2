package org.rapidsrivers.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Native code runs with the user's rights (issue 27, medium 3): the cached copy of SQLite's library is used only
 * from a place nobody else can change and only with the jar's bytes; else one line, and nothing taken from there.
 */
class SqliteNativeTest {
    @TempDir
    Path home;

    private final List<String> said = new ArrayList<>();

    @Test
    void aFreshCacheGetsTheJarsCopyOwnerOnly() throws Exception {
        Optional<Path> folder = SqliteNative.cachedCopy(home.resolve("cache/rr"), said::add);

        assertThat(folder).isPresent();
        assertThat(Files.readAllBytes(library(folder.get()))).isEqualTo(jarBytes());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.get()))).isEqualTo("rwx------");
        assertThat(said).isEmpty();
    }

    @Test
    void aPlantedLibraryInTheUsersOwnCacheIsReplacedByTheJarsCopyBeforeItIsLoaded() throws Exception {
        Path folder = SqliteNative.cachedCopy(home.resolve("cache/rr"), said::add).orElseThrow();
        Files.write(library(folder), "\u007fELF not the jar's".getBytes());

        assertThat(SqliteNative.cachedCopy(home.resolve("cache/rr"), said::add)).contains(folder);

        assertThat(Files.readAllBytes(library(folder))).isEqualTo(jarBytes());
    }

    @Test
    void aCacheOthersMayWriteIsNotUsedAndSaysSoInOneLine() throws Exception {
        Path cache = Files.createDirectories(home.resolve("shared/rr"));
        Path folder = SqliteNative.cachedCopy(cache, said::add).orElseThrow();
        Files.write(library(folder), "planted".getBytes());
        Files.setPosixFilePermissions(home.resolve("shared"), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(SqliteNative.cachedCopy(cache, said::add)).isEmpty();

        assertThat(said).singleElement().satisfies(line -> assertThat(line).startsWith("SQLite's native library is not loaded from ")
                .contains(home.resolve("shared") + " may be written by others (mode 777)")
                .endsWith("the copy in sqlite-jdbc's jar is loaded instead"));
        assertThat(Files.readString(library(folder))).as("left as it was, never loaded").isEqualTo("planted");
    }

    @Test
    void aLinkOnThePathIsNotFollowed() throws Exception {
        Path real = Files.createDirectories(home.resolve("real"));
        Path link = Files.createSymbolicLink(home.resolve("linked"), real);

        assertThat(SqliteNative.cachedCopy(link.resolve("rr"), said::add)).isEmpty();

        assertThat(said).singleElement().satisfies(line -> assertThat(line).contains(link + " is a symbolic link"));
    }

    @Test
    void aLibraryWritableByOthersIsNotTrustedEvenInTheUsersCache() throws Exception {
        Path folder = SqliteNative.cachedCopy(home.resolve("cache/rr"), said::add).orElseThrow();
        Files.setPosixFilePermissions(library(folder), PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(SqliteNative.untrusted(library(folder))).hasValueSatisfying(why -> assertThat(why).contains("mode 666"));
        assertThat(SqliteNative.untrusted(home.resolve("nowhere/at/all"))).isEmpty();
    }

    private static Path library(Path folder) {
        return folder.resolve(System.mapLibraryName("sqlitejdbc"));
    }

    private static byte[] jarBytes() throws Exception {
        String platform = OSInfo.getNativeLibFolderPathForCurrentOS();
        try (var in = SQLiteJDBCLoader.class.getResourceAsStream("/org/sqlite/native/" + platform + "/"
                + System.mapLibraryName("sqlitejdbc"))) {
            return in.readAllBytes();
        }
    }
}
