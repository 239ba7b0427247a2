package org.rapidsrivers.core.ports;

/**
 * Understands one message received from a river: its body, the receipt needed to delete it, how often it
 * was received, for a message a replay sent that replay's generation (0 for a live message), and whether it
 * is one of the river's own reminders ({@link Rivers#putLater}), which only the river's own reader can put
 * there and nothing from the rapids can pass for: the mark travels beside the body, never in it.
 */
public record Delivery(String receipt, String body, int receiveCount, long replay, boolean reminder) {
    /** The SQS message attribute (a Number) that carries a replayed message's generation. */
    public static final String REPLAY_ATTRIBUTE = "rr-replay";
    /**
     * The SQS message attribute (a String, the river's name) that marks a reminder: set by {@link Rivers#putLater}
     * alone. The fan-out publishes with its own two attributes only, so no record on the rapids can carry it.
     */
    public static final String REMINDER_ATTRIBUTE = "rr-reminder";

    /** A replay attribute's value as a generation: 0 when absent or not a positive whole number. */
    public static long replayOf(String attribute) {
        try {
            return attribute == null ? 0 : Math.max(0, Long.parseLong(attribute.strip()));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    public Delivery(String receipt, String body, int receiveCount, long replay) {
        this(receipt, body, receiveCount, replay, false);
    }

    public Delivery(String receipt, String body, int receiveCount) {
        this(receipt, body, receiveCount, 0, false);
    }
}
