package org.rapidsrivers.core.names;

import java.util.regex.Pattern;

/**
 * Understands what one field of a path into an event's payload may be, for a monitor's conditions and a river's
 * filter alike: a letter or _, then letters, digits, _ and -, at most 64 characters; a path is such fields joined
 * by dots, at most {@link #MAX_DEPTH} deep.
 */
public final class PayloadField {
    public static final int MAX_DEPTH = 8;
    public static final String RULE = "fields of letters, digits, _ and - separated by dots";
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

    private PayloadField() {
    }

    public static boolean isValid(String text) {
        return text != null && FIELD.matcher(text).matches();
    }
}
