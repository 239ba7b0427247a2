package org.rapidsrivers.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Understands where SQLite's native library is loaded from: one copy per sqlite-jdbc version and platform
 * in the user's cache ({@code $XDG_CACHE_HOME/rr}, else {@code ~/.cache/rr}), written once, instead of
 * sqlite-jdbc's own way, a fresh copy in the temporary directory for every process, removed at a normal
 * exit only: every process killed with SIGKILL (a supervisor's stop, a test's kill) left 1.1 MB behind,
 * 1.7 GB on this machine after a day. Native code runs with the user's rights, so the cached copy is
 * loaded only from a place nobody else can change ({@link #untrusted}: every directory on its path the
 * user's or root's, none writable by others unless root's and sticky, no link anywhere) and only when its
 * bytes are the jar's copy's (so its SHA-256 is too); a copy that differs is written again. Where that cannot be, one line says
 * why and sqlite-jdbc loads its own copy from the jar, as it always did.
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
        Optional<Path> folder = cachedCopy(cache(), line -> System.err.println("rr: " + line));
        folder.ifPresent(found -> {
            System.setProperty("org.sqlite.lib.path", found.toString());
            System.setProperty("org.sqlite.lib.name", System.mapLibraryName("sqlitejdbc"));
        });
    }

    /**
     * The folder under {@code cache} holding a copy of the library that may be loaded, written there first when
     * missing or different; empty when the jar has no library for this platform, the cache cannot be written,
     * or is not the user's alone (then {@code say} gets one line).
     */
    static Optional<Path> cachedCopy(Path cache, Consumer<String> say) {
        Path part = null;
        try {
            String platform = OSInfo.getNativeLibFolderPathForCurrentOS();
            String name = System.mapLibraryName("sqlitejdbc");
            byte[] expected = jarCopy(platform, name);
            if (expected == null) {
                return Optional.empty();
            }
            Path folder = cache.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-" + platform.replace('/', '-'));
            Path library = folder.resolve(name);
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(folder);
                restrict(folder.getParent());
                restrict(folder);
            }
            Optional<String> why = untrusted(library);
            if (why.isPresent()) {
                say.accept("SQLite's native library is not loaded from " + library + ": " + why.get()
                        + "; the copy in sqlite-jdbc's jar is loaded instead");
                return Optional.empty();
            }
            // the same bytes as the jar's copy (stricter than the same SHA-256, and cheaper at every start)
            if (!Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) || !Arrays.equals(Files.readAllBytes(library), expected)) {
                part = Files.createTempFile(folder, name, ".part");
                Files.write(part, expected);
                // another process may have put its copy there meanwhile: the same bytes, either wins
                Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(folder);
        } catch (Exception | LinkageError unwritable) {
            // a read-only home, a full disk, an unknown platform: sqlite-jdbc extracts its own copy, as it always did
            deleteQuietly(part);
            return Optional.empty();
        }
    }

    /**
     * Why native code at {@code library} could be someone else's, or empty when only the user (or root) can
     * change it: the file and every directory above it belong to the user or to root, none is a link, none is
     * writable by group or others except a sticky directory of root's (as /tmp, where nobody renames another's
     * entries), and the file (if there) is writable by its owner alone.
     */
    static Optional<String> untrusted(Path library) throws IOException {
        int me = uidOfThisProcess();
        Path absolute = library.toAbsolutePath().normalize();
        for (Path at = absolute; at != null; at = at.getParent()) {
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (Files.isSymbolicLink(at)) {
                return Optional.of(at + " is a symbolic link");
            }
            int owner = (Integer) Files.getAttribute(at, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(at, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (owner != me && owner != 0) {
                return Optional.of(at + " belongs to another user (uid " + owner + ")");
            }
            boolean othersWrite = (mode & 0022) != 0;
            boolean sticky = (mode & 01000) != 0;
            if (othersWrite && !(sticky && owner == 0 && !at.equals(absolute))) {
                return Optional.of(at + " may be written by others (mode " + Integer.toOctalString(mode & 07777) + ")");
            }
        }
        return Optional.empty();
    }

    /** The uid this process runs as: the owner of /proc/self on Linux, else of a file it has just made. */
    private static int uidOfThisProcess() throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.isDirectory(self)) {
            return (Integer) Files.getAttribute(self, "unix:uid");
        }
        Path probe = Files.createTempFile("rr-uid", ".probe");
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static byte[] jarCopy(String platform, String name) throws IOException {
        try (InputStream bytes = SQLiteJDBCLoader.class.getResourceAsStream("/org/sqlite/native/" + platform + "/" + name)) {
            return bytes == null ? null : bytes.readAllBytes();
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
