package org.rapidsrivers.aws;

import java.util.List;

/**
 * Understands sending a batch to a call that may take only part of it (SNS PublishBatch, Kinesis
 * PutRecords): what it did not take is sent again, alone, with backoff, up to a number of attempts; the
 * caller learns what was still refused at the end and the last reason given. One attempt that fails
 * whole with a retryable problem counts as refusing everything it sent.
 */
public final class PartialRetry {
    private PartialRetry() {
    }

    /** One call: sends these entries and answers which of them were refused, and why. */
    public interface Attempt<T> {
        Refused<T> send(List<T> entries);
    }

    /** What one call or the whole retry left refused, and the last reason given (empty when none). */
    public record Refused<T>(List<T> entries, String reason) {
        public static <T> Refused<T> none() {
            return new Refused<>(List.of(), "");
        }

        public boolean isEmpty() {
            return entries.isEmpty();
        }
    }

    public static <T> Refused<T> send(List<T> entries, int attempts, Attempt<T> attempt) {
        Refused<T> left = new Refused<>(entries, "");
        for (int n = 1; n <= attempts; n++) {
            Refused<T> refused = attempt.send(left.entries());
            if (refused.isEmpty()) {
                return Refused.none();
            }
            left = refused;
            if (n < attempts) {
                Backoff.sleep(n);
            }
        }
        return left;
    }
}
