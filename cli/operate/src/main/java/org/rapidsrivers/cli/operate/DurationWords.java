package org.rapidsrivers.cli.operate;

import java.time.Duration;

/** Understands a duration as a person reads it at a glance: 850ms, 12s, 4m, 3h, 2d. */
final class DurationWords {
    private DurationWords() {
    }

    static String of(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 120_000) {
            return millis / 1_000 + "s";
        }
        if (millis < 2 * 3_600_000) {
            return millis / 60_000 + "m";
        }
        if (millis < 2 * 86_400_000L) {
            return millis / 3_600_000 + "h";
        }
        return millis / 86_400_000L + "d";
    }
}
