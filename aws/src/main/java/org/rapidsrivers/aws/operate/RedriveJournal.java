package org.rapidsrivers.aws.operate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Understands what a move between queues has already sent: the ids of the source messages sent on,
 * written (and forced to disk) as soon as the send succeeds, before the source copy is deleted. A move
 * killed between the two finds the ids here when it runs again and deletes those messages instead of
 * sending them twice. The file exists from the start of a run to its clean end, so the next run knows
 * whether one was interrupted. Forgotten once the source is empty.
 */
final class RedriveJournal {
    private final Path file;
    private final Set<String> sent = new HashSet<>();
    private final boolean interrupted;

    RedriveJournal(Path file) {
        this.file = file;
        this.interrupted = Files.exists(file);
        try {
            if (interrupted) {
                sent.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
                sent.remove("");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the redrive journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** A journal is there only while a run is under way, or after one that did not finish. */
    boolean leftByAnInterruptedRun() {
        return interrupted;
    }

    /** Says a run is under way, before it takes anything. */
    void begin() {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.writeString(file, "", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.DSYNC);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the redrive journal " + file + ": " + e.getMessage(), e);
        }
    }

    boolean wasSent(String id) {
        return sent.contains(id);
    }

    void sent(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", ids) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
            sent.addAll(ids);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the redrive journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Everything sent has been deleted from the source: nothing left to remember. */
    void forget() {
        try {
            Files.deleteIfExists(file);
            sent.clear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the redrive journal " + file + ": " + e.getMessage(), e);
        }
    }
}
