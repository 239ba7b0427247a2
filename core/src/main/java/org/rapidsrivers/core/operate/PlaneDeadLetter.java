package org.rapidsrivers.core.operate;

import java.time.Instant;
import java.util.Optional;

/**
 * Understands one record a plane gave up on, as an operator reads it: its id among the plane's dead letters
 * (what {@code deadletters discard} names; records given up together share one), why, where it lay in its stream,
 * and the record itself (text when it is UTF-8, else base64; empty when it can no longer be read back,
 * e.g. past the stream's retention).
 */
public record PlaneDeadLetter(String id, Plane plane, String reason, String shardId, String sequenceNumber, String partitionKey,
                              Instant buriedAt, Optional<String> data, String dataEncoding, boolean truncated) {
    /** Only a whole record that can still be read may go back on its stream. */
    public boolean redrivable() {
        return data.isPresent() && !truncated;
    }
}
