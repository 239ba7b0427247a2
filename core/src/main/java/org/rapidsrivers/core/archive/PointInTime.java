package org.rapidsrivers.core.archive;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;

/** Understands a point in time as people type it: an ISO-8601 UTC time, or a duration ago (90s, 30m, 2h, 7d). */
public final class PointInTime {
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    private PointInTime() {
    }

    public static Instant parse(String text, String option, Instant now) {
        String given = text.strip();
        Matcher ago = AGO.matcher(given);
        if (ago.matches()) {
            long amount = Long.parseLong(ago.group(1));
            Duration unit = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            return now.minus(unit.multipliedBy(amount));
        }
        try {
            return Instant.parse(given);
        } catch (DateTimeParseException notATime) {
            throw new InvalidInput(option + " '" + Printable.of(text) + "' is neither a time nor a duration ago:"
                    + " use an ISO-8601 UTC time (2026-11-30T09:00:00Z) or a number with s, m, h or d (90s, 30m, 2h, 7d)");
        }
    }
}
