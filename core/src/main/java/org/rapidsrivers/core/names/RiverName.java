package org.rapidsrivers.core.names;

import java.util.regex.Pattern;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;

/**
 * Understands what a river may be called: short enough that its queue and dead-letter queue fit
 * SQS's 80 characters, and never ending in "-dlq", which is reserved for the dead-letter queue.
 */
public record RiverName(String value) implements Comparable<RiverName> {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,47}");
    private static final String RULE =
            "use 1-48 letters, digits, '-' or '_', starting with a letter or digit and not ending in '-dlq'";

    public RiverName {
        if (!isValid(value)) {
            throw new InvalidInput("invalid river name '" + Printable.of(value) + "': " + RULE);
        }
    }

    public static RiverName of(String value) {
        return new RiverName(value);
    }

    public static boolean isValid(String value) {
        return value != null && ALLOWED.matcher(value).matches() && !value.endsWith("-dlq");
    }

    @Override
    public int compareTo(RiverName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
