package org.rapidsrivers.core.plane;

/** Understands where a plane puts a record it can never process, with the reason, so nothing is lost silently. */
public interface DeadLetters {
    void bury(StreamRecord record, String reason);
}
