package org.rapidsrivers.core;

/**
 * Understands how to show a value that is anyone's text (a rejected input, a name from an event) in one
 * line on a terminal without letting it act there: control characters (escape sequences, bells, line
 * breaks) and Unicode format characters (right-to-left overrides and the like, which reorder what is
 * shown) appear as {@code \\uXXXX}.
 */
public final class Printable {
    private static final int MAX = 60;

    private Printable() {
    }

    public static String of(String value) {
        if (value == null) {
            return "";
        }
        String shown = escaped(value, MAX);
        return value.codePointCount(0, value.length()) > MAX ? shown + "..." : shown;
    }

    /** The whole value, escaped the same way: a cell of a table, a name in a report. */
    public static String whole(String value) {
        return value == null ? "" : escaped(value, Long.MAX_VALUE);
    }

    /** True for a character that must not reach a terminal as it is. */
    public static boolean acts(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
    }

    private static String escaped(String value, long limit) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(limit).forEach(c -> {
            if (acts(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }
}
