package org.rapidsrivers.core;

/**
 * Understands that something a user or a client sent cannot be accepted, and says why in one line:
 * what is wrong and what is allowed. Never carries a stack trace to the user.
 */
public class InvalidInput extends IllegalArgumentException {
    public InvalidInput(String oneLineReason) {
        super(oneLineReason);
    }
}
