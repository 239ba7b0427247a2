package org.rapidsrivers.embedded;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.rapidsrivers.core.BackendUnavailable;

/**
 * Understands the data directory as a private place, the way shells and database clients keep
 * their history: the directory is 700 and every file rr keeps there (databases, their journals,
 * the shell history with every payload typed) is 600, whatever the umask.
 */
public final class DataDirectory {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {
    }

    /** Makes the directory (owner only) if missing; an existing one holding only rr's files is made owner only too. */
    public static void prepare(Path dataDir) {
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new BackendUnavailable("data directory " + dataDir + " is not a directory");
        }
        try {
            if (!Files.exists(dataDir)) {
                Path parent = dataDir.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                if (POSIX) {
                    Files.createDirectory(dataDir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
                } else {
                    Files.createDirectory(dataDir);
                }
            } else if (POSIX && holdsOnlyOurFiles(dataDir)) {
                // made by an older rr under the umask: a directory a user named for other things is left alone
                Files.setPosixFilePermissions(dataDir, OWNER_DIRECTORY);
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another process made it meanwhile
        } catch (IOException e) {
            throw new BackendUnavailable("cannot create data directory " + dataDir + ": " + e.getMessage());
        }
        if (!Files.isReadable(dataDir) || !Files.isWritable(dataDir) || !Files.isExecutable(dataDir)) {
            throw new BackendUnavailable("cannot use data directory " + dataDir
                    + ": it must be readable and writable by this user");
        }
    }

    /** Creates the file empty and owner-only if missing, or takes away others' access to an existing one. */
    public static void privateFile(Path file) {
        if (!POSIX) {
            return;
        }
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            } else if (!Files.getPosixFilePermissions(file).equals(OWNER_FILE) && Files.isWritable(file)) {
                Files.setPosixFilePermissions(file, OWNER_FILE);
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another process made it meanwhile, with the same permissions
        } catch (IOException e) {
            // a file we cannot tighten is reported by whatever opens it next
        }
    }

    private static boolean holdsOnlyOurFiles(Path dataDir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!(name.equals("history") || name.matches("[a-z0-9]{1,16}\\.db(-wal|-shm|-journal|\\.reserve)?"))) {
                    return false;
                }
            }
        }
        return true;
    }
}
