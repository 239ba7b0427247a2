package org.rapidsrivers.core.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.PayloadField;

/**
 * Understands one condition on an event's payload, as a monitor's {@code --where} gives it:
 * {@code segment=RoadWarrior}, {@code offers[].offer=road-warrior}, {@code source!=brand}. The path is
 * fields separated by dots; {@code []} after a field means any element of the array it holds. {@code =}
 * holds when any value at the path is the value; {@code !=} when none is (a payload without the path
 * holds it). A value is compared with a string as it is, with a number or a boolean as it is written.
 */
public record Condition(List<Segment> path, boolean equal, String value) {
    private static final Pattern FORM = Pattern.compile("([^=!]*)(!=|=)(.*)", Pattern.DOTALL);
    private static final int MAX_DEPTH = PayloadField.MAX_DEPTH;
    private static final int MAX_VALUE = 256;

    public Condition {
        path = List.copyOf(path);
    }

    /** One step of a path: a field, and whether it walks into every element of an array. */
    public record Segment(String field, boolean anyElement) {
        @Override
        public String toString() {
            return field + (anyElement ? "[]" : "");
        }
    }

    /** Reads {@code path=value} or {@code path!=value}; one line says what is wrong and what is allowed. */
    public static Condition parse(String text, String option) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            throw new InvalidInput(option + " '" + Printable.of(text) + "' is not a condition: give a path, = or !=, and a value"
                    + " (segment=RoadWarrior, offers[].offer=road-warrior)");
        }
        String value = matcher.group(3);
        if (value.isEmpty() || value.length() > MAX_VALUE) {
            throw new InvalidInput(option + " '" + Printable.of(text) + "' needs a value of 1-" + MAX_VALUE + " characters after "
                    + matcher.group(2));
        }
        return new Condition(path(matcher.group(1), option), "=".equals(matcher.group(2)), value);
    }

    /** A path: fields of letters, digits, _ and -, separated by dots, each perhaps followed by []. */
    public static List<Segment> path(String text, String option) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > MAX_DEPTH) {
            throw new InvalidInput(option + " path '" + Printable.of(text) + "' is deeper than " + MAX_DEPTH + " fields");
        }
        List<Segment> path = new ArrayList<>();
        for (String part : parts) {
            boolean any = part.endsWith("[]");
            String field = any ? part.substring(0, part.length() - 2) : part;
            if (!PayloadField.isValid(field)) {
                throw new InvalidInput(option + " path '" + Printable.of(text) + "' is not a path: "
                        + (field.isEmpty() ? "a field is empty" : "'" + Printable.of(part) + "' is not a field")
                        + " (fields of letters, digits, _ and - separated by dots, [] after one for any element: offers[].offer)");
            }
            path.add(new Segment(field, any));
        }
        return path;
    }

    /** Whether the payload meets the condition. */
    public boolean test(JsonNode payload) {
        boolean found = values(payload).stream().anyMatch(node -> text(node).equals(value));
        return equal == found;
    }

    /** Whether the payload holds anything at the path (for the warning about a path no event carries). */
    public boolean carriedBy(JsonNode payload) {
        return !values(payload).isEmpty();
    }

    /** Every value at the path. */
    List<JsonNode> values(JsonNode payload) {
        List<JsonNode> current = new ArrayList<>();
        if (payload != null) {
            current.add(payload);
        }
        for (Segment segment : path) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                JsonNode child = node.isObject() ? node.get(segment.field()) : null;
                if (child == null || child.isNull()) {
                    continue;
                }
                if (segment.anyElement()) {
                    if (child.isArray()) {
                        child.forEach(next::add);
                    }
                } else {
                    next.add(child);
                }
            }
            current = next;
        }
        return current;
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : Json.compact(node);
    }

    public String pathText() {
        return String.join(".", path.stream().map(Segment::toString).toList());
    }

    @Override
    public String toString() {
        return pathText() + (equal ? "=" : "!=") + value;
    }
}
