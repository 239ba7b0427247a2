package org.rapidsrivers.core.names;

import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;

/**
 * Understands what a topic (an event type) may be: 1 to 128 characters with no whitespace, control or
 * format characters (a right-to-left override would show one topic as another), so that it fits an SNS
 * message attribute and a filter policy value.
 */
public record Topic(String value) implements Comparable<Topic> {
    public static final int MAX_LENGTH = 128;
    public static final String RULE = "use 1-128 characters with no whitespace, control or format characters";

    public Topic {
        if (!isValid(value)) {
            throw new InvalidInput("invalid topic '" + Printable.of(value) + "': " + RULE);
        }
    }

    public static Topic of(String value) {
        return new Topic(value);
    }

    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.codePointCount(0, value.length()) > MAX_LENGTH) {
            return false;
        }
        return value.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Printable.acts(c));
    }

    @Override
    public int compareTo(Topic other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
