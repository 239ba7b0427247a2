package org.rapidsrivers.core.plane;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.rapidsrivers.core.InvalidInput;
import java.time.Instant;

/** Understands one record read from a stream (the rapids or the control stream), as Kinesis hands it over. */
public record StreamRecord(String shardId, String sequenceNumber, String partitionKey, byte[] data, Instant arrivedAt) {
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The record as UTF-8 text, refused (not patched with U+FFFD) where its bytes are not UTF-8. */
    public String strictText() {
        String text = utf8OrNull(data);
        if (text == null) {
            throw new InvalidInput("record is not valid UTF-8 text, so it cannot be delivered unchanged");
        }
        return text;
    }

    /** The bytes as UTF-8 text, or null where they are not UTF-8. */
    public static String utf8OrNull(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            // nothing was replaced: the bytes were UTF-8 (the fast path of almost every record)
            return text;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
