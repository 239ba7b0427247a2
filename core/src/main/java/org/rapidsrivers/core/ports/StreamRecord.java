package org.rapidsrivers.core.ports;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Understands one record read from a stream (the rapids or the control stream), as Kinesis hands it over. */
public record StreamRecord(String shardId, String sequenceNumber, String partitionKey, byte[] data, Instant arrivedAt) {
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
