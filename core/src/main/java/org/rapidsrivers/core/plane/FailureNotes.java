package org.rapidsrivers.core.plane;

/**
 * Understands keeping why a plane failed a record, where the host that gives up on it keeps only where it
 * lay (Lambda's on-failure record says "RetryAttemptsExhausted" and no more): the plane's handler notes the
 * failure of the first record it could not process, and reading that record's dead letter back finds it.
 */
public interface FailureNotes {
    /** Keeps nothing: where the host keeps the reason itself (the embedded host buries with it). */
    FailureNotes NONE = (consumer, record, reason) -> { };

    void note(String consumer, StreamRecord record, String reason);
}
