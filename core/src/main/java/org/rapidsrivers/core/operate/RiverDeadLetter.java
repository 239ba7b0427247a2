package org.rapidsrivers.core.operate;

import java.util.Optional;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.ports.DeadLetterNote;

/**
 * Understands one message a river gave up on, as an operator reads it: its id in the dead-letter queue (what
 * {@code deadletters discard} names), the message itself, how often it was received before, and why, where
 * the reader that gave up said (a message that only came back too often has no note).
 */
public record RiverDeadLetter(RiverName river, String id, String body, int receiveCount, Optional<DeadLetterNote> note) {
    /** Why, in one line. */
    public String reason() {
        return note.map(DeadLetterNote::describe).orElse(DeadLetterNote.unexplained(receiveCount));
    }
}
