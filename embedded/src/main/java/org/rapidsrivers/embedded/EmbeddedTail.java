package org.rapidsrivers.embedded;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.operate.RapidsTail;

/**
 * Understands following the embedded rapids from the newest record at the time it is made: each poll
 * reads everything that came after the last one seen, in pages of 500; a wait wakes at once on this
 * process's own appends, and on other processes' within {@link Doorbell#OTHER_PROCESSES}.
 */
final class EmbeddedTail implements RapidsTail {
    /**
     * The records after the last one seen. "+stream": they are found by their sequence number (the table's key),
     * never by the stream's index, which would visit every record the stream ever kept, at every look.
     */
    static final String AFTER = "SELECT seq, data FROM records WHERE +stream = ? AND seq > ? ORDER BY seq LIMIT 500";

    private final Database db;
    private final Doorbell doorbell;
    private final String stream;
    private long after;

    EmbeddedTail(Database db, EmbeddedLog log, Doorbell doorbell, String stream) {
        this.db = db;
        this.doorbell = doorbell;
        this.stream = stream;
        this.after = log.latest(stream);
    }

    @Override
    public synchronized List<String> poll() {
        List<String> texts = new ArrayList<>();
        for (int page = 500; page == 500; ) {
            page = db.read(() -> {
                PreparedStatement select = db.bound(AFTER, stream, after);
                int read = 0;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        after = rows.getLong(1);
                        texts.add(new String(rows.getBytes(2), StandardCharsets.UTF_8));
                        read++;
                    }
                }
                return read;
            });
        }
        return texts;
    }

    @Override
    public Duration pollInterval() {
        return Doorbell.OTHER_PROCESSES;
    }

    @Override
    public List<String> await(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            long seen = doorbell.stream(stream).rings();
            List<String> texts = poll();
            long left = deadline - System.nanoTime();
            if (!texts.isEmpty() || left <= 0) {
                return texts;
            }
            doorbell.stream(stream).awaitAfter(seen, Duration.ofNanos(Math.min(left, EmbeddedRivers.LOOK_AT_LEAST_EVERY.toNanos())));
        }
    }
}
