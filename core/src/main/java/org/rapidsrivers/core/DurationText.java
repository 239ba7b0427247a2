package org.rapidsrivers.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Understands a duration as people type it: 2s, 500ms, 1.5s, 1m, 1h. */
public final class DurationText {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private DurationText() {
    }

    public static Duration parse(String text, String option, Duration least, Duration most) {
        Matcher matcher = FORM.matcher(text.strip());
        if (!matcher.matches()) {
            throw new InvalidInput(option + " '" + Printable.of(text)
                    + "' is not a duration: use a number with ms, s, m or h, e.g. 2s or 500ms");
        }
        double amount = Double.parseDouble(matcher.group(1));
        long millis = Math.round(amount * switch (matcher.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        });
        Duration duration = Duration.ofMillis(millis);
        if (duration.compareTo(least) < 0 || duration.compareTo(most) > 0) {
            throw new InvalidInput(option + " must be between " + least.toMillis() + "ms and " + most.toSeconds() + "s");
        }
        return duration;
    }
}
