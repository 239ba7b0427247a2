package org.rapidsrivers.core.archive;

import java.time.Duration;
import java.util.Optional;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;

/** Understands how long the archive keeps events, as a user writes it: a number of days (30d), or keep (for ever). */
public final class Retention {
    private Retention() {
    }

    /** The retention {@code text} says, empty for keep; {@code option} names where it was given, for the one-line error. */
    public static Optional<Duration> parse(String text, String option) {
        String given = text.strip();
        if (given.equals("keep")) {
            return Optional.empty();
        }
        if (given.matches("\\d{1,5}d") && Integer.parseInt(given.substring(0, given.length() - 1)) >= 1) {
            return Optional.of(Duration.ofDays(Integer.parseInt(given.substring(0, given.length() - 1))));
        }
        throw new InvalidInput(option + " '" + Printable.of(text) + "' is not a retention: use a number of days (30d) or keep");
    }
}
