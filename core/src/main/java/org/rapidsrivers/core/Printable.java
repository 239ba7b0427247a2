package org.rapidsrivers.core;

/** Understands how to quote a rejected value in a one-line message without breaking the line. */
public final class Printable {
    private static final int MAX = 60;

    private Printable() {
    }

    public static String of(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(MAX).forEach(c -> {
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return value.codePointCount(0, value.length()) > MAX ? shown + "..." : shown.toString();
    }
}
