package org.rapidsrivers.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.filter.Where;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.embedded.FilterMatcher;

/**
 * The embedded router's filters (aws/event-ruler) against moto's SNS matcher, on generated river policies and
 * events: every policy the limits accept must be one moto accepts, and every event must reach the river on
 * both or on neither. moto is one process for the whole run, asked once per batch (a policy and its events).
 * moto is asked about each event as the SNS documentation reads it ({@link #readings}), branch by branch, and
 * about the event as it is; where the two differ moto departs from the documentation (docs/aws.md lists how),
 * and those cases are counted.
 */
class FilterDifferentialIT {
    private static final List<String> PATHS = List.of("source", "amount", "user.name", "user.level", "tags");
    /** The fields PATHS go through; none of them is a path itself. */
    private static final List<String> PARENTS = List.of("user");
    private static final List<String> WORDS = List.of("location", "brand", "Location", "LOCATION", "loc", "ation", "brand-eu",
            "membership", "x", "Ünïcode", "0", "10");
    private static final List<String> NUMBERS = List.of("-1000000000", "-5", "0", "0.5", "1.5", "10", "999.99999", "1000",
            "1000000000");
    private static final List<String> TYPES = List.of("A", "B", "C");
    /** Begins no word and ends none but its own: a boolean's stand-in that no string condition here matches. */
    private static final String NOT_A_WORD = "\u0001";
    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger MOTO_DEPARTS = new AtomicInteger();
    private static final AtomicInteger REFUSED_BY_LIMITS = new AtomicInteger();
    private static final AtomicInteger SILENT = new AtomicInteger();
    private static Process oracle;
    private static Writer toOracle;
    private static BufferedReader fromOracle;

    @BeforeContainer
    static void startOracle() throws IOException {
        Path moto = Path.of(System.getProperty("rr.moto", "emulator/moto-server")).toAbsolutePath().normalize();
        Path python = moto.getParent().getParent().resolve(".venv/bin/python");
        Path script = moto.getParent().resolve("sns_filter_oracle.py");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("moto is not installed at " + python + ": run make test (it installs moto into .venv)");
        }
        oracle = new ProcessBuilder(python.toString(), script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        toOracle = new OutputStreamWriter(oracle.getOutputStream(), StandardCharsets.UTF_8);
        fromOracle = new BufferedReader(new InputStreamReader(oracle.getInputStream(), StandardCharsets.UTF_8));
    }

    @AfterContainer
    static void stopOracleAndCount() throws InterruptedException {
        oracle.destroy();
        oracle.waitFor();
        System.out.println("filter differential: " + CASES.get() + " events compared, " + MOTO_DEPARTS.get()
                + " where moto as it is departs from the documented reading (docs/aws.md), " + SILENT.get()
                + " not compared (null under !=, where the documentation is silent), " + REFUSED_BY_LIMITS.get()
                + " policies refused by the limits");
        assertThat(CASES.get()).as("events compared with moto").isGreaterThanOrEqualTo(1000);
    }

    @Property(tries = 300)
    void theEmbeddedMatcherAgreesWithMotoOnEveryEvent(@ForAll("policies") RiverPolicy policy,
                                                     @ForAll("bodies") List<String> bodies) throws IOException {
        try {
            policy.requireWithinLimits(RiverName.of("r"));
        } catch (InvalidInput refused) {
            REFUSED_BY_LIMITS.incrementAndGet();
            return;
        }
        // every event, then each of its documented readings (below), in one batch
        List<List<String>> readings = new ArrayList<>();
        ObjectNode ask = Json.object();
        ask.set("policy", Json.parse(policy.bodyPolicyText()));
        ArrayNode texts = ask.putArray("bodies");
        for (String body : bodies) {
            texts.add(body);
            List<String> read = readings(body);
            readings.add(read);
            read.forEach(texts::add);
        }
        toOracle.write(Json.compact(ask) + "\n");
        toOracle.flush();
        JsonNode answer = Json.parse(fromOracle.readLine());
        assertThat(answer.get("valid").asText()).as("moto's validation of %s", policy.bodyPolicyText()).isEqualTo("true");
        FilterMatcher matcher = FilterMatcher.of(Map.of("r", policy));
        int at = 0;
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            JsonNode asIs = answer.get("matches").get(at++);
            boolean documented = false;
            for (int r = 0; r < readings.get(i).size(); r++) {
                documented |= answer.get("branches").get(at++).asBoolean();
            }
            if (!asIs.isBoolean() || asIs.asBoolean() != documented) {
                MOTO_DEPARTS.incrementAndGet();
            }
            Topic type = Topic.of(Json.parse(body).get("eventType").asText());
            ContentFilter filter = policy.topics().get(type);
            if (nullUnderAnythingBut(filter, body)) {
                SILENT.incrementAndGet();
                continue;
            }
            boolean embedded = filter != null && (filter.isWhole() || matcher.rivers(body).contains("r"));
            assertThat(embedded).as("event %s under policy %s (moto as it is: %s, as documented: %s over %s)", body,
                    policy.bodyPolicyText(), asIs, documented, readings.get(i)).isEqualTo(documented);
            CASES.incrementAndGet();
        }
    }

    /**
     * Whether a != condition meets a null: the SNS documentation does not say whether null is "anything but" the
     * values; event-ruler says it is, moto that it is not. Not compared, and counted (docs/aws.md says so).
     */
    private static boolean nullUnderAnythingBut(ContentFilter filter, String body) {
        if (filter == null) {
            return false;
        }
        JsonNode payload = Json.parse(body).get("payload");
        for (Where where : filter.conditions()) {
            JsonNode value = payload;
            for (String field : where.path()) {
                value = value.path(field);
            }
            if (where.operator() == Where.Operator.NOT && value.isNull()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The event as SNS's documentation reads it, in events moto reads the same way: a filter sees leaf values only
     * ("exists matching only works on leaf nodes"), so a field holding an empty array holds none and is left out;
     * a field holding an array matches when any of its elements does, so the event stands for one event per choice
     * of element in each array (the filter matches the event when it matches any of them); true and false are no
     * numbers; a path under a field that is missing or no object is missing (so {"exists": false} holds), as it is
     * under an empty object. moto instead takes an empty array as a value, matches anything-but against every element, raises on
     * an array under numeric, compares true and false as 1 and 0, and matches nothing under a missing parent.
     */
    static List<String> readings(String body) {
        JsonNode event = Json.parse(body);
        dropEmptyArrays(event);
        List<JsonNode> out = new ArrayList<>();
        expand(event, out);
        for (JsonNode reading : out) {
            ObjectNode payload = (ObjectNode) reading.get("payload");
            for (String parent : PARENTS) {
                if (!payload.path(parent).isObject()) {
                    payload.putObject(parent);
                }
            }
        }
        return out.stream().map(Json::compact).toList();
    }

    private static void expand(JsonNode event, List<JsonNode> out) {
        ObjectNode[] holder = new ObjectNode[1];
        String[] field = new String[1];
        findArray(event, holder, field);
        if (holder[0] == null) {
            out.add(event);
            return;
        }
        for (JsonNode element : holder[0].get(field[0])) {
            JsonNode copy = event.deepCopy();
            ObjectNode[] copyHolder = new ObjectNode[1];
            findArray(copy, copyHolder, new String[1]);
            copyHolder[0].set(field[0], element);
            expand(copy, out);
        }
    }

    private static void findArray(JsonNode node, ObjectNode[] holder, String[] field) {
        if (holder[0] != null || !node.isObject()) {
            return;
        }
        for (var it = node.fields(); it.hasNext() && holder[0] == null; ) {
            var entry = it.next();
            if (entry.getValue().isArray()) {
                holder[0] = (ObjectNode) node;
                field[0] = entry.getKey();
            } else {
                findArray(entry.getValue(), holder, field);
            }
        }
    }

    /** Empty arrays left out; a boolean made a string no condition here names (moto compares true as the number 1). */
    private static void dropEmptyArrays(JsonNode node) {
        if (node.isObject()) {
            List<String> empty = new ArrayList<>();
            Map<String, JsonNode> booleans = new TreeMap<>();
            node.fields().forEachRemaining(field -> {
                if (field.getValue().isArray() && field.getValue().isEmpty()) {
                    empty.add(field.getKey());
                } else if (field.getValue().isBoolean()) {
                    booleans.put(field.getKey(), JsonNodeFactory.instance.textNode(NOT_A_WORD + field.getValue().asText()));
                } else {
                    dropEmptyArrays(field.getValue());
                }
            });
            ((ObjectNode) node).remove(empty);
            ((ObjectNode) node).setAll(booleans);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isBoolean()) {
                    ((ArrayNode) node).set(i, JsonNodeFactory.instance.textNode(NOT_A_WORD + node.get(i).asText()));
                }
            }
        }
    }

    @Provide
    Arbitrary<RiverPolicy> policies() {
        Arbitrary<ContentFilter> filter = conditions().list().ofMinSize(1).ofMaxSize(3).map(this::filterOrWhole);
        return Arbitraries.maps(Arbitraries.of(TYPES), Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(ContentFilter.WHOLE)), net.jqwik.api.Tuple.of(3, filter)))
                .ofMinSize(1).ofMaxSize(3).map(topics -> {
                    Map<Topic, ContentFilter> typed = new TreeMap<>();
                    topics.forEach((type, f) -> typed.put(Topic.of(type), f));
                    return new RiverPolicy(typed);
                });
    }

    /** The conditions on distinct paths (a number's range is one condition made of two). */
    private ContentFilter filterOrWhole(List<List<Where>> conditions) {
        Map<String, List<Where>> byPath = new LinkedHashMap<>();
        conditions.forEach(c -> byPath.putIfAbsent(c.get(0).pathText(), c));
        List<Where> all = new ArrayList<>();
        byPath.values().forEach(all::addAll);
        return ContentFilter.of(all);
    }

    private Arbitrary<List<Where>> conditions() {
        Arbitrary<String> path = Arbitraries.of(PATHS);
        Arbitrary<List<String>> words = Arbitraries.of(WORDS).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
        Arbitrary<String> number = Arbitraries.of(NUMBERS);
        Arbitrary<List<Where>> strings = Combinators.combine(path, Arbitraries.of(Where.Operator.EQUALS, Where.Operator.NOT,
                Where.Operator.PREFIX, Where.Operator.SUFFIX, Where.Operator.IGNORING_CASE), words)
                .as((p, op, values) -> List.of(Where.parse(p + op.word() + String.join(",", values))));
        Arbitrary<List<Where>> numeric = Combinators.combine(path, Arbitraries.of(Where.Operator.LESS, Where.Operator.AT_MOST,
                Where.Operator.MORE, Where.Operator.AT_LEAST), number)
                .as((p, op, n) -> List.of(Where.parse(p + op.word() + n)));
        Arbitrary<List<Where>> range = Combinators.combine(path, Arbitraries.of(">", ">="), number, Arbitraries.of("<", "<="), number)
                .filter((p, low, a, high, b) -> new BigDecimal(a).compareTo(new BigDecimal(b)) < 0)
                .as((p, low, a, high, b) -> List.of(Where.parse(p + low + a), Where.parse(p + high + b)));
        Arbitrary<List<Where>> presence = Combinators.combine(path, Arbitraries.of(":exists", ":missing"))
                .as((p, op) -> List.of(Where.parse(p + op)));
        return Arbitraries.oneOf(strings, numeric, range, presence);
    }

    @Provide
    Arbitrary<List<String>> bodies() {
        return body().list().ofSize(10);
    }

    private Arbitrary<String> body() {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.of(WORDS).map(w -> (JsonNode) JsonNodeFactory.instance.textNode(w)),
                Arbitraries.of(NUMBERS).map(n -> (JsonNode) JsonNodeFactory.instance.numberNode(new BigDecimal(n))),
                Arbitraries.of(JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.nullNode()));
        // null inside an array is left out: the SNS documentation is silent on it, and event-ruler reads [null] unlike
        // null (anything-but matches the one, not the other); docs/aws.md says so
        Arbitrary<JsonNode> array = leaf.filter(v -> !v.isNull()).list().ofMinSize(0).ofMaxSize(3).map(values -> {
            ArrayNode node = JsonNodeFactory.instance.arrayNode();
            values.forEach(node::add);
            return (JsonNode) node;
        });
        Arbitrary<JsonNode> value = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, leaf), net.jqwik.api.Tuple.of(1, array));
        Arbitrary<JsonNode> user = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Combinators.combine(value.injectNull(0.3), value.injectNull(0.3)).as((name, level) -> {
                    ObjectNode node = JsonNodeFactory.instance.objectNode();
                    if (name != null) {
                        node.set("name", name);
                    }
                    if (level != null) {
                        node.set("level", level);
                    }
                    return (JsonNode) node;
                })),
                net.jqwik.api.Tuple.of(1, value));
        return Combinators.combine(Arbitraries.of("A", "B", "C", "D"), value.injectNull(0.3), value.injectNull(0.3),
                user.injectNull(0.3), value.injectNull(0.4)).as((type, source, amount, u, tags) -> {
                    ObjectNode payload = JsonNodeFactory.instance.objectNode();
                    if (source != null) {
                        payload.set("source", source);
                    }
                    if (amount != null) {
                        payload.set("amount", amount);
                    }
                    if (u != null) {
                        payload.set("user", u);
                    }
                    if (tags != null) {
                        payload.set("tags", tags);
                    }
                    ObjectNode envelope = Json.object().put("eventId", "e-1").put("eventType", type).put("eventDomain", "S")
                            .put("timestamp", "2026-12-07T12:00:00.000Z");
                    envelope.set("payload", payload);
                    return Json.compact(envelope);
                });
    }
}
