package org.rapidsrivers.core.names;

import java.util.regex.Pattern;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;

/** Understands what Kinesis allows as a stream name, so a bad --rapids or --control-stream (or RR_RAPIDS_STREAM) is refused up front. */
public final class StreamName {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private StreamName() {
    }

    public static String check(String name, String option) {
        if (!ALLOWED.matcher(name).matches()) {
            throw new InvalidInput("invalid " + option + " '" + Printable.of(name) + "': use 1-128 letters, digits, '_', '-' or '.'");
        }
        return name;
    }
}
