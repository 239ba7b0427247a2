package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.Where;
import org.rapidsrivers.core.names.PayloadField;

/**
 * Understands the rules an event must meet, written as sentences: {@code requireType("ViewPage")},
 * {@code requireKey("user")}, {@code forbidKey("offer")}, {@code requireValue("segment", "RoadWarrior")}.
 * Keys name fields of the payload. Every key a rule names is declared, and so may be read by the
 * handler; {@code interestedIn} declares a key without requiring it.
 */
public final class Rules {
    private final Set<String> types = new LinkedHashSet<>();
    private final Set<String> declared = new LinkedHashSet<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<Supplier<Set<String>>> liveTypes = new ArrayList<>();
    /** The value rules a filter can say as they are: key → the values allowed (rules on one key intersect). */
    private final Map<String, Set<String>> filterable = new TreeMap<>();

    public Rules requireType(String... eventTypes) {
        types.addAll(List.of(eventTypes));
        Set<String> allowed = Set.copyOf(List.of(eventTypes));
        rules.add((packet, problems) -> {
            if (!allowed.contains(packet.type())) {
                problems.add("eventType is '" + packet.type() + "', not one of " + allowed);
            }
        });
        return this;
    }

    /**
     * Requires a type from a set that changes while the service runs (the monitor service's: the types its
     * monitors name). The runner subscribes to the set as it is at start-up; whoever changes the set subscribes
     * the river to what it adds (rr monitor add does), and an event is checked against the set as it is then.
     */
    public Rules requireTypeIn(Supplier<Set<String>> eventTypes) {
        liveTypes.add(eventTypes);
        rules.add((packet, problems) -> {
            Set<String> allowed = eventTypes.get();
            if (!allowed.contains(packet.type())) {
                problems.add("eventType is '" + packet.type() + "', not one of " + allowed);
            }
        });
        return this;
    }

    public Rules requireKey(String... keys) {
        for (String key : keys) {
            declared.add(key);
            rules.add((packet, problems) -> {
                if (missing(packet.raw(key))) {
                    problems.add("'" + key + "' is missing");
                }
            });
        }
        return this;
    }

    public Rules forbidKey(String... keys) {
        for (String key : keys) {
            declared.add(key);
            rules.add((packet, problems) -> {
                if (!missing(packet.raw(key))) {
                    problems.add("'" + key + "' is present but forbidden");
                }
            });
        }
        return this;
    }

    public Rules requireValue(String key, String value) {
        return requireAnyValue(key, List.of(value));
    }

    public Rules requireAnyValue(String key, Collection<String> values) {
        declared.add(key);
        Set<String> allowed = Set.copyOf(values);
        filterable.merge(key, new TreeSet<>(allowed), (before, more) -> {
            before.retainAll(more);
            return before;
        });
        rules.add((packet, problems) -> {
            JsonNode node = packet.raw(key);
            if (node == null || !node.isTextual() || !allowed.contains(node.asText())) {
                problems.add("'" + key + "' is " + (missing(node) ? "missing" : node) + ", not one of " + allowed);
            }
        });
        return this;
    }

    /** A rule of one's own: the predicate gets the payload field; false is a problem with the message given. */
    public Rules require(String key, Predicate<JsonNode> test, String problem) {
        declared.add(key);
        rules.add((packet, problems) -> {
            if (!test.test(packet.raw(key))) {
                problems.add("'" + key + "' " + problem);
            }
        });
        return this;
    }

    public Rules interestedIn(String... keys) {
        declared.addAll(List.of(keys));
        return this;
    }

    Set<String> types() {
        if (liveTypes.isEmpty()) {
            return types;
        }
        Set<String> now = new LinkedHashSet<>(types);
        liveTypes.forEach(live -> now.addAll(live.get()));
        return now;
    }

    /**
     * What a river's filter can say of these rules, so the infrastructure drops what they would skip: each
     * {@code requireValue} and {@code requireAnyValue} on a key that is a plain field, as {@code key=a,b}. A filter
     * may let through more than the rules do (the runner checks every rule anyway), never less, so a rule it
     * cannot say (a key, a rule of one's own, a value with a comma, which a --where cannot hold) is left to the
     * runner, and so are the keys past the four a filter holds.
     */
    ContentFilter filter() {
        List<Where> conditions = new ArrayList<>();
        filterable.forEach((key, values) -> {
            if (conditions.size() < ContentFilter.MAX_PATHS && PayloadField.isValid(key) && !values.isEmpty()
                    && values.stream().noneMatch(v -> v.isEmpty() || v.contains(","))) {
                conditions.add(new Where(List.of(key), Where.Operator.EQUALS, List.copyOf(values)));
            }
        });
        return ContentFilter.of(conditions);
    }

    Set<String> declared() {
        return declared;
    }

    void check(Packet packet, Problems problems) {
        rules.forEach(rule -> rule.check(packet, problems));
    }

    private static boolean missing(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** Understands one rule. */
    @FunctionalInterface
    private interface Rule {
        void check(Packet packet, Problems problems);
    }
}
