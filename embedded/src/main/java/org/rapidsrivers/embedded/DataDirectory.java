package org.rapidsrivers.embedded;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.rapidsrivers.core.BackendUnavailable;

/**
 * Understands the data directory as a private place nobody else controls, the way ssh treats its
 * directory: the directory is 700 and every file rr keeps there (databases, their journals, the shell
 * history with every payload typed) is 600, whatever the umask. What another user could have planted is
 * refused in one line rather than used: a directory (or a file in it) that belongs to someone else, a
 * symbolic link where rr keeps a file (it would write wherever the link points), a directory others may
 * write that holds anything rr did not make. A directory of rr's own files that others could write (an
 * older rr, a umask of 000) is made owner-only, and one line says so.
 */
public final class DataDirectory {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS_WRITE = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final String ADVICE = "use a directory of your own (--data-dir or RR_DATA_DIR)";

    private DataDirectory() {
    }

    /**
     * Makes the directory (owner only) if missing; an existing one must be this user's (the directory a link
     * leads to included), and one others could write is made owner only if it holds nothing but rr's own
     * files, else refused.
     */
    public static boolean prepare(Path dataDir) {
        return prepare(dataDir, path -> {
            if (POSIX) {
                Files.createDirectory(path, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
            } else {
                Files.createDirectory(path);
            }
        });
    }

    /** Understands making the directory: in a test, another process that makes it first. */
    @FunctionalInterface
    interface DirectoryMaker {
        void make(Path directory) throws IOException;
    }

    static boolean prepare(Path dataDir, DirectoryMaker maker) {
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new BackendUnavailable("data directory " + dataDir + " is not a directory");
        }
        try {
            if (!Files.exists(dataDir)) {
                Path parent = dataDir.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    maker.make(dataDir);
                } catch (FileAlreadyExistsException raced) {
                    // another process made it meanwhile: guarded below like any directory that was there
                }
            }
            if (POSIX) {
                guard(dataDir);
            }
        } catch (IOException e) {
            throw new BackendUnavailable("cannot create data directory " + dataDir + ": " + e.getMessage());
        }
        if (!Files.isReadable(dataDir) || !Files.isExecutable(dataDir)) {
            throw new BackendUnavailable("cannot use data directory " + dataDir + ": it must be readable by this user");
        }
        return readOnly(dataDir);
    }

    /**
     * Whether its owner made it read-only (their write permission off; or, with no permissions to read, not
     * writable): then rr reads it and writes nothing there, and never gives the permission back.
     */
    static boolean readOnly(Path dataDir) {
        if (!Files.isWritable(dataDir)) {
            return true;
        }
        try {
            return POSIX && !Files.getPosixFilePermissions(dataDir).contains(PosixFilePermission.OWNER_WRITE);
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** The line that refuses a write to a read-only data directory. */
    public static String readOnlyLine(Path dataDir) {
        return "data directory " + dataDir + " is read-only (its owner's write permission is off): reads work, writes are"
                + " refused; chmod u+w the directory and its files to write there again";
    }

    /**
     * Creates the file empty and owner-only if missing, or takes away others' access to an existing one of
     * this user's; a symbolic link, or a file of someone else's, is refused.
     */
    public static void privateFile(Path file) {
        if (!POSIX) {
            return;
        }
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
                } catch (FileAlreadyExistsException raced) {
                    // another process made it meanwhile: checked below like any file that was there
                }
            }
            if (Files.isSymbolicLink(file)) {
                throw new BackendUnavailable(file + " is a symbolic link (to " + Files.readSymbolicLink(file) + "): rr follows"
                        + " no link in its data directory, since rr would write wherever it points; remove it");
            }
            requireOurs(file, "file");
            ownerOnly(file);
        } catch (IOException e) {
            // a file we cannot tighten is reported by whatever opens it next
        }
    }

    /** True for a regular file of this user's that is no link: one rr may read (an earlier rr's pond file). */
    static boolean ownRegularFile(Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && (!POSIX || isOurs(file))
                    && (!POSIX || Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS) && isOurs(file.getParent())
                    && !writableByOthers(file.getParent()));
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static void guard(Path dataDir) throws IOException {
        Path real = dataDir.toRealPath();
        requireOurs(real, "data directory");
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(real);
        if (now.stream().noneMatch(GROUP_OR_OTHERS::contains)) {
            // owner-only already, however the owner set their own bits (a directory they made read-only stays so)
            return;
        }
        String was = PosixFilePermissions.toString(now);
        String planted = firstNotOurs(real);
        if (planted == null) {
            ownerOnly(real);
            if (writableByOthersText(was)) {
                System.err.println("note: data directory " + dataDir + " was writable by others (" + was
                        + "): made owner-only (" + PosixFilePermissions.toString(Files.getPosixFilePermissions(real)) + ")");
            }
            return;
        }
        if (writableByOthersText(was)) {
            throw new BackendUnavailable("data directory " + dataDir + " is writable by others (" + was + ") and holds "
                    + planted + ", which rr did not make: another user could have planted it; " + ADVICE + ", or remove it"
                    + " and chmod 700 the directory");
        }
        // readable by others, holding other things: a directory the user named for more than rr; left as it is
    }

    /** The first entry that is not a plain file of rr's own (a link, someone else's, a name rr does not use), or null. */
    private static String firstNotOurs(Path dataDir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean ourName = name.equals("history") || name.matches("[a-z0-9]{1,16}\\.db(-wal|-shm|-journal|\\.reserve)?");
                if (Files.isSymbolicLink(entry)) {
                    return "the symbolic link " + name + " (to " + Files.readSymbolicLink(entry) + ")";
                }
                if (!ourName || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    return name;
                }
                if (!isOurs(entry)) {
                    return name + " (of user " + Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS).getName() + ")";
                }
            }
        }
        return null;
    }

    private static void requireOurs(Path path, String what) throws IOException {
        if (!isOurs(path)) {
            throw new BackendUnavailable(what + " " + path + " belongs to user " + Files.getOwner(path, LinkOption.NOFOLLOW_LINKS)
                    .getName() + ", not to " + me() + ": its owner controls what rr reads there; " + ADVICE);
        }
    }

    /**
     * Owned by this process's user: compared by uid where the system says it (Linux's /proc/self belongs to the
     * process's user), so a user without a name (a container's bare uid) is still recognised; else by name.
     */
    private static boolean isOurs(Path path) throws IOException {
        Optional<Object> mine = MY_UID;
        if (mine.isPresent()) {
            return mine.get().equals(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        }
        return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName().equals(me());
    }

    private static final Optional<Object> MY_UID = myUid();

    private static Optional<Object> myUid() {
        try {
            return Optional.ofNullable(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException notLinux) {
            return Optional.empty();
        }
    }

    private static String me() {
        return System.getProperty("user.name");
    }

    /** Takes group's and others' rights away and leaves the owner's as they are: rr never gives anything back. */
    private static void ownerOnly(Path path) throws IOException {
        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        if (permissions.removeAll(GROUP_OR_OTHERS)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static boolean writableByOthers(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        return permissions.stream().anyMatch(OTHERS_WRITE::contains);
    }

    private static boolean writableByOthersText(String permissions) {
        return permissions.charAt(4) == 'w' || permissions.charAt(7) == 'w';
    }
}
