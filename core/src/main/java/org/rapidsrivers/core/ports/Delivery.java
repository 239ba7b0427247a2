package org.rapidsrivers.core.ports;

/**
 * Understands one message received from a river: its body, the receipt needed to delete it, how often it
 * was received, and, for a message a replay sent, that replay's generation (0 for a live message).
 */
public record Delivery(String receipt, String body, int receiveCount, long replay) {
    /** The SQS message attribute (a Number) that carries a replayed message's generation. */
    public static final String REPLAY_ATTRIBUTE = "rr-replay";

    /** A replay attribute's value as a generation: 0 when absent or not a positive whole number. */
    public static long replayOf(String attribute) {
        try {
            return attribute == null ? 0 : Math.max(0, Long.parseLong(attribute.strip()));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    public Delivery(String receipt, String body, int receiveCount) {
        this(receipt, body, receiveCount, 0);
    }
}
