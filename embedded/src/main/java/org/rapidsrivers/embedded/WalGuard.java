package org.rapidsrivers.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Understands whether the write-ahead log SQLite writes through this process's connections is still the
 * stage's log: the file it was when first seen (removed or put back as another file, it is not: processes
 * then write logs nobody else reads), and not cut short (its header gone: cut to nothing under a writer, whose
 * next commit writes past the hole). Once it is not, it never is again in this process: every write is
 * refused with {@link #problem} from then on (a look is a stat and a read of 32 bytes, at most every
 * {@link #LOOK_EVERY}), and the checkpointer must not
 * copy a cut log into the file (it would copy zeros). One line says so, once.
 */
final class WalGuard {
    static final Duration LOOK_EVERY = Duration.ofMillis(10);
    private static final int WAL_HEADER = 32;
    private static final int WAL_MAGIC = 0x377f0682;
    private static volatile Consumer<String> out = System.err::println;
    private final Path file;
    private final Path wal;
    private Object identity;
    private long lookedAt;
    private volatile String problem;
    private volatile boolean cut;
    private boolean rescued;

    WalGuard(Path file) {
        this.file = file;
        this.wal = Path.of(file + "-wal");
    }

    /** Where the line goes (standard error unless a test listens). */
    static void sayTo(Consumer<String> sink) {
        out = sink;
    }

    /** After this process opened a fresh connection: the log it uses is learnt again. */
    synchronized void connected() {
        if (problem == null) {
            identity = null;
        }
    }

    /**
     * The one line that refuses writes, or null while the log is sound; looks at the file at most every
     * {@link #LOOK_EVERY} (a look on every commit cost a fast writer a sixth of its rate): what is committed in between
     * goes into the removed log, which the rescue copies, or into a cut one, whose loss the line says.
     */
    synchronized String problem() {
        if (problem != null) {
            return problem;
        }
        long now = System.nanoTime();
        if (identity != null && now - lookedAt < LOOK_EVERY.toNanos()) {
            return null;
        }
        lookedAt = now;
        BasicFileAttributes seen;
        try {
            seen = Files.readAttributes(wal, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            if (identity != null) {
                return fault("was removed under this process");
            }
            return null;
        } catch (IOException unreadable) {
            return null;
        }
        Object key = seen.fileKey();
        if (identity == null) {
            identity = key;
        } else if (!Objects.equals(identity, key)) {
            return fault("was replaced by another file under this process");
        }
        if (cutShort()) {
            cut = true;
            return fault("was cut short under this process: the commits it held since the last checkpoint are gone");
        }
        return null;
    }

    /** True once the log was found cut short: copying it into the file would copy zeros, so nothing may. */
    boolean cut() {
        return cut;
    }

    /**
     * True once, when the log was found removed or replaced: this process's connections still hold the removed
     * one, and a checkpoint through one copies its commits into the file before anything else is lost.
     */
    synchronized boolean toRescue() {
        if (problem == null || cut || rescued) {
            return false;
        }
        rescued = true;
        return true;
    }

    /** What the rescue's checkpoint did ({@code log} frames, {@code copied} of them; -1: it could not run), in one line. */
    void rescued(long log, long copied, String failure) {
        if (failure != null) {
            out.accept("rr: could not copy the removed log's commits into " + file + " (" + failure + "): what was"
                    + " acknowledged since the last checkpoint (at most a second) may be lost");
        } else if (copied < log) {
            out.accept("rr: copied " + copied + " of the removed log's " + log + " pages into " + file + ": what was"
                    + " acknowledged in the rest may be lost");
        } else {
            out.accept("rr: copied the removed log's commits (" + log + " pages) into " + file + ": nothing acknowledged"
                    + " before is lost");
        }
    }

    /**
     * Whether the log lost its beginning: it holds bytes, but no log header (SQLite writes the header before any
     * frame, and empties the log only to nothing): cut to nothing, and a later commit wrote past the hole. Only
     * the log itself is read, never the shared index: closing a file SQLite locks drops this process's locks on it.
     */
    private boolean cutShort() {
        byte[] header = read(wal, WAL_HEADER);
        if (header == null) {
            return false;
        }
        int magic = ByteBuffer.wrap(header).getInt(0);
        return magic != WAL_MAGIC && magic != WAL_MAGIC + 1;
    }

    /** The file's first {@code bytes}, or null when it cannot be read whole (not there yet, being made, cut). */
    private static byte[] read(Path path, int bytes) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(bytes);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // read on until the header is whole or the file ends
            }
            return buffer.hasRemaining() ? null : buffer.array();
        } catch (IOException unreadable) {
            return null;
        }
    }

    private String fault(String what) {
        problem = "the stage's write-ahead log " + wal + " " + what + ": writes are refused from now (reads may miss"
                + " the latest commits); stop every process of the stage (rr status lists them), then start again, and"
                + " SQLite makes a new log";
        out.accept("rr: " + problem);
        return problem;
    }
}
