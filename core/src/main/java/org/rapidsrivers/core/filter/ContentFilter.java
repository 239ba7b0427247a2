package org.rapidsrivers.core.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;

/**
 * Understands what a river wants of one topic's events beyond their type: every condition holds (AND), each on
 * its own path, except that a number may have one lower and one upper bound ({@code amount>=10 amount<100}).
 * {@link #WHOLE} wants every event of the topic. As an SNS MessageBody filter policy the conditions sit under
 * {@code payload}, one array per path; the same text read back gives the same filter.
 */
public final class ContentFilter {
    public static final ContentFilter WHOLE = new ContentFilter(List.of());
    /** SNS allows five keys in a policy; the type is one of them. */
    public static final int MAX_PATHS = 4;

    private final List<Where> conditions;

    private ContentFilter(List<Where> sorted) {
        this.conditions = List.copyOf(sorted);
    }

    /** Reads {@code --where} words: one line for what is wrong, naming the word and what is allowed. */
    public static ContentFilter parse(Collection<String> words) {
        List<Where> conditions = new ArrayList<>();
        for (String word : words) {
            conditions.add(Where.parse(word));
        }
        return of(conditions);
    }

    public static ContentFilter of(Collection<Where> conditions) {
        Map<String, List<Where>> byPath = new TreeMap<>();
        for (Where where : conditions) {
            byPath.computeIfAbsent(where.pathText(), p -> new ArrayList<>()).add(where);
        }
        List<Where> sorted = new ArrayList<>();
        for (Map.Entry<String, List<Where>> path : byPath.entrySet()) {
            List<Where> on = path.getValue();
            boolean range = on.size() == 2 && on.stream().allMatch(w -> w.operator().numeric())
                    && on.get(0).operator().lower() != on.get(1).operator().lower();
            if (on.size() > 1 && !range) {
                throw new InvalidInput("--where names '" + path.getKey() + "' " + on.size() + " times (" + words(on) + "): a filter"
                        + " holds one condition per path, or a number's lower and upper bound (amount>=10 amount<100)");
            }
            on.sort((a, b) -> Boolean.compare(b.operator().lower(), a.operator().lower()));
            if (range && on.get(0).number().compareTo(on.get(1).number()) >= 0) {
                throw new InvalidInput("--where " + words(on) + ": the lower bound must be below the upper one (SNS refuses"
                        + " a range that holds no number)");
            }
            sorted.addAll(on);
        }
        requireTreeShape(byPath.keySet());
        if (byPath.size() > MAX_PATHS) {
            throw new InvalidInput("--where names " + byPath.size() + " paths (" + String.join(", ", byPath.keySet()) + "): SNS"
                    + " allows 5 keys in a filter policy and the event's type is one, so at most " + MAX_PATHS);
        }
        return sorted.isEmpty() ? WHOLE : new ContentFilter(sorted);
    }

    public boolean isWhole() {
        return conditions.isEmpty();
    }

    public List<Where> conditions() {
        return conditions;
    }

    /** The conditions as words, sorted: what a control command carries and listsubs shows. */
    public List<String> words() {
        return conditions.stream().map(Where::word).toList();
    }

    /** {@code source=location amount>=1000}, or the empty string for the whole topic. */
    public String text() {
        return String.join(" ", words());
    }

    /** The conditions as an SNS MessageBody policy's {@code payload} object: one array per path. */
    public ObjectNode payloadPolicy() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < conditions.size(); i++) {
            Where where = conditions.get(i);
            ObjectNode parent = root;
            for (String field : where.path().subList(0, where.path().size() - 1)) {
                parent = parent.has(field) ? (ObjectNode) parent.get(field) : parent.putObject(field);
            }
            ArrayNode values = parent.putArray(where.path().get(where.path().size() - 1));
            if (where.operator().numeric()) {
                ArrayNode numeric = values.addObject().putArray("numeric");
                numeric.add(where.operator().sns()).add(new BigDecimal(where.values().get(0)));
                if (i + 1 < conditions.size() && conditions.get(i + 1).pathText().equals(where.pathText())) {
                    Where upper = conditions.get(++i);
                    numeric.add(upper.operator().sns()).add(new BigDecimal(upper.values().get(0)));
                }
                continue;
            }
            switch (where.operator()) {
                case EQUALS -> where.values().forEach(values::add);
                case NOT -> {
                    ArrayNode undesired = values.addObject().putArray("anything-but");
                    where.values().forEach(undesired::add);
                }
                case PREFIX -> where.values().forEach(v -> values.addObject().put("prefix", v));
                case SUFFIX -> where.values().forEach(v -> values.addObject().put("suffix", v));
                case IGNORING_CASE -> where.values().forEach(v -> values.addObject().put("equals-ignore-case", v));
                case EXISTS -> values.addObject().put("exists", true);
                case MISSING -> values.addObject().put("exists", false);
                default -> throw new IllegalStateException(where.operator().name());
            }
        }
        return root;
    }

    /** Reads a {@code payload} object this class wrote; anything else is an {@link InvalidInput} saying where. */
    public static ContentFilter fromPayloadPolicy(JsonNode payload) {
        List<Where> conditions = new ArrayList<>();
        read(payload, new ArrayList<>(), conditions);
        return of(conditions);
    }

    private static void read(JsonNode node, List<String> path, List<Where> into) {
        if (!node.isObject()) {
            throw new InvalidInput("filter policy: '" + String.join(".", path) + "' is neither an object nor an array");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            List<String> at = new ArrayList<>(path);
            at.add(field.getKey());
            if (field.getValue().isArray()) {
                into.addAll(leaf(at, (ArrayNode) field.getValue()));
            } else {
                read(field.getValue(), at, into);
            }
        }
    }

    private static List<Where> leaf(List<String> path, ArrayNode values) {
        List<String> exact = new ArrayList<>();
        List<Where> out = new ArrayList<>();
        Where.Operator listed = null;
        List<String> listedValues = new ArrayList<>();
        for (JsonNode value : values) {
            if (value.isTextual()) {
                exact.add(value.asText());
                continue;
            }
            Map.Entry<String, JsonNode> only = value.isObject() && value.size() == 1 ? value.fields().next() : null;
            if (only == null) {
                throw unreadable(path, value);
            }
            JsonNode arg = only.getValue();
            switch (only.getKey()) {
                case "numeric" -> {
                    for (int i = 0; i + 1 < arg.size(); i += 2) {
                        Where.Operator op = Where.Operator.ofSns(arg.get(i).asText()).orElseThrow(() -> unreadable(path, value));
                        out.add(new Where(path, op, List.of(Where.number(arg.get(i + 1).asText(), arg.toString()))));
                    }
                }
                case "anything-but" -> {
                    listed = Where.Operator.NOT;
                    arg.forEach(v -> listedValues.add(v.asText()));
                }
                case "prefix" -> { listed = Where.Operator.PREFIX; listedValues.add(arg.asText()); }
                case "suffix" -> { listed = Where.Operator.SUFFIX; listedValues.add(arg.asText()); }
                case "equals-ignore-case" -> { listed = Where.Operator.IGNORING_CASE; listedValues.add(arg.asText()); }
                case "exists" -> out.add(new Where(path, arg.asBoolean() ? Where.Operator.EXISTS : Where.Operator.MISSING, List.of()));
                default -> throw unreadable(path, value);
            }
        }
        if (!exact.isEmpty()) {
            out.add(new Where(path, Where.Operator.EQUALS, exact.stream().sorted().distinct().toList()));
        }
        if (listed != null) {
            out.add(new Where(path, listed, listedValues.stream().sorted().distinct().toList()));
        }
        return out;
    }

    private static InvalidInput unreadable(List<String> path, JsonNode value) {
        return new InvalidInput("filter policy: '" + String.join(".", path) + "' holds " + Printable.of(value.toString())
                + ", which no --where writes");
    }

    /** A path cannot be both a value and the object holding another path's value. */
    private static void requireTreeShape(Collection<String> paths) {
        for (String path : paths) {
            for (String other : paths) {
                if (other.startsWith(path + ".")) {
                    throw new InvalidInput("--where names '" + path + "' and '" + other + "': one cannot be a value and hold"
                            + " another; give the deeper one only");
                }
            }
        }
    }

    private static String words(List<Where> conditions) {
        return String.join(" ", conditions.stream().map(Where::word).toList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ContentFilter that && conditions.equals(that.conditions);
    }

    @Override
    public int hashCode() {
        return conditions.hashCode();
    }

    @Override
    public String toString() {
        return isWhole() ? "(whole)" : text();
    }
}
