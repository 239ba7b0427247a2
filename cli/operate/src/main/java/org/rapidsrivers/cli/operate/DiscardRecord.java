package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.json.Json;

/**
 * Understands where what is discarded is kept first: one JSON line per dead letter, each with when it was
 * discarded, appended to a file of the operator's own (owner-only) and forced to disk before anything is
 * removed, so nothing is thrown away unrecorded: {@code discarded-<stage>-<source>-<time>.jsonl} in the data
 * directory.
 */
final class DiscardRecord {
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;

    DiscardRecord(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** The name of the file for discarding {@code source}'s letters of {@code stage} now. */
    static String name(String stage, String source, Clock clock) {
        return "discarded-" + stage + "-" + source + "-" + NAME_TIME.format(clock.instant()) + ".jsonl";
    }

    Path file() {
        return file;
    }

    /** Removes the file when nothing was written to it. */
    void forgetIfEmpty() {
        try {
            if (Files.size(file) == 0) {
                Files.delete(file);
            }
        } catch (IOException gone) {
            // nothing to forget
        }
    }

    /** Appends the documents and forces them to disk; throws (so nothing is removed) when it cannot. */
    void append(List<ObjectNode> documents) {
        StringBuilder lines = new StringBuilder();
        String at = Timestamps.format(clock.instant());
        documents.forEach(d -> lines.append(Json.compact(d.deepCopy().put("discardedAt", at))).append('\n'));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record what is to be discarded in " + file + " (" + e.getMessage()
                    + "): nothing was discarded", e);
        }
    }
}
