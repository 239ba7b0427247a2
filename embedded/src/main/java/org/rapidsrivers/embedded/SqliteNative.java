package org.rapidsrivers.embedded;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Understands where SQLite's native library is loaded from: one copy per sqlite-jdbc version and platform
 * in the user's cache ({@code $XDG_CACHE_HOME/rr}, else {@code ~/.cache/rr}), written once, instead of
 * sqlite-jdbc's own way, a fresh copy in the temporary directory for every process, removed at a normal
 * exit only: every process killed with SIGKILL (a supervisor's stop, a test's kill) left 1.1 MB behind,
 * 1.7 GB on this machine after a day. Where the cache cannot be written, sqlite-jdbc's own way stays.
 */
final class SqliteNative {
    private static boolean prepared;

    private SqliteNative() {
    }

    /** Before the first connection: points sqlite-jdbc at the cached copy, written first if not there yet. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty("org.sqlite.lib.path") != null) {
            // whoever runs rr chose where it is
            return;
        }
        Path part = null;
        try {
            String platform = OSInfo.getNativeLibFolderPathForCurrentOS();
            String name = System.mapLibraryName("sqlitejdbc");
            Path folder = cache().resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-" + platform.replace('/', '-'));
            Path library = folder.resolve(name);
            if (!Files.isRegularFile(library)) {
                try (InputStream bytes = SQLiteJDBCLoader.class.getResourceAsStream("/org/sqlite/native/" + platform + "/" + name)) {
                    if (bytes == null) {
                        return;
                    }
                    Files.createDirectories(folder);
                    restrict(folder.getParent());
                    restrict(folder);
                    part = Files.createTempFile(folder, name, ".part");
                    Files.copy(bytes, part, StandardCopyOption.REPLACE_EXISTING);
                    // another process may have put its copy there meanwhile: the same bytes, either wins
                    Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.setProperty("org.sqlite.lib.path", folder.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (Exception | LinkageError unwritable) {
            // a read-only home, a full disk, an unknown platform: sqlite-jdbc extracts its own copy, as it always did
            deleteQuietly(part);
        }
    }

    private static void deleteQuietly(Path part) {
        try {
            if (part != null) {
                Files.deleteIfExists(part);
            }
        } catch (Exception leftBehind) {
            // a half copy nobody loads (only the whole one is moved into place)
        }
    }

    private static Path cache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return root.resolve("rr");
    }

    private static void restrict(Path folder) {
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        } catch (Exception notPosix) {
            // the folder's own permissions stay
        }
    }
}
