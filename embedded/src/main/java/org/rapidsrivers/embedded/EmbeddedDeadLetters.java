package org.rapidsrivers.embedded;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.StreamRecord;

/** Understands the embedded dead-letter destination of a plane: the record as it was, the reason, and when. */
public final class EmbeddedDeadLetters implements DeadLetters {
    private final Database db;
    private final Clock clock;
    private final String source;

    EmbeddedDeadLetters(Database db, Clock clock, String source) {
        this.db = db;
        this.clock = clock;
        this.source = source;
    }

    @Override
    public void bury(StreamRecord record, String reason) {
        db.write(() -> {
            PreparedStatement insert = db.bound("INSERT INTO dead_letters"
                    + " (source, shard_id, sequence_number, data, reason, buried_ms) VALUES (?, ?, ?, ?, ?, ?)",
                    source, record.shardId(), record.sequenceNumber(), record.data(), reason, clock.millis());
            insert.executeUpdate();
            return null;
        });
    }

    /** What was buried here, oldest first, as "reason" and the record's text. */
    public List<Buried> list() {
        return db.read(() -> {
            PreparedStatement select = db.statement(
                    "SELECT sequence_number, data, reason FROM dead_letters WHERE source = ? ORDER BY id");
            select.setString(1, source);
            List<Buried> buried = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    buried.add(new Buried(rows.getString(1),
                            new String(rows.getBytes(2), StandardCharsets.UTF_8), rows.getString(3)));
                }
            }
            return buried;
        });
    }

    /** Understands one buried record. */
    public record Buried(String sequenceNumber, String text, String reason) {
    }
}
