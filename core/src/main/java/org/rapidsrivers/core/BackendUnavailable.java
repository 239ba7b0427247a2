package org.rapidsrivers.core;

/**
 * Understands that the system cannot be reached or used right now (a locked data directory, no
 * credentials, an endpoint that does not answer), told in one line that says what to do about it.
 */
public class BackendUnavailable extends RuntimeException {
    public BackendUnavailable(String oneLineReason) {
        super(oneLineReason);
    }

    public BackendUnavailable(String oneLineReason, Throwable cause) {
        super(oneLineReason, cause);
    }
}
