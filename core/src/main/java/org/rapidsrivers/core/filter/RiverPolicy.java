package org.rapidsrivers.core.filter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands everything one river wants: its topics, each whole or with a {@link ContentFilter}, and the one
 * SNS MessageBody filter policy that says it. The whole topics share a branch {@code {"eventType": [...]}},
 * each filtered topic has a branch of its own, {@code {"eventType": ["Offer"], "payload": {...}}}, and two or
 * more branches go under {@code $or}. The limits are checked here, for both backends alike, before any is hit:
 * a river that works on the embedded backend works on AWS.
 */
public final class RiverPolicy {
    public static final String TYPE_KEY = "eventType";
    public static final String PAYLOAD_KEY = "payload";
    /** SNS: the values of a policy multiplied (each array's size times its depth) may not pass 150. */
    public static final int MAX_COMBINATIONS = 150;
    /** SNS: a policy is at most 256 KB. */
    public static final int MAX_BYTES = 256 * 1024;

    /** Policies print numbers as written, never as 1E+3. */
    private static final ObjectMapper PLAIN = JsonMapper.builder().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private final SortedMap<Topic, ContentFilter> topics;

    public RiverPolicy(Map<Topic, ContentFilter> topics) {
        this.topics = Collections.unmodifiableSortedMap(new TreeMap<>(topics));
    }

    public SortedMap<Topic, ContentFilter> topics() {
        return topics;
    }

    /** Whether any topic is filtered by content (otherwise the type alone routes, as an attribute on AWS). */
    public boolean filtered() {
        return topics.values().stream().anyMatch(f -> !f.isWhole());
    }

    public RiverPolicy with(Topic topic, ContentFilter filter) {
        SortedMap<Topic, ContentFilter> changed = new TreeMap<>(topics);
        changed.put(topic, filter);
        return new RiverPolicy(changed);
    }

    public RiverPolicy without(Topic topic) {
        SortedMap<Topic, ContentFilter> changed = new TreeMap<>(topics);
        changed.remove(topic);
        return new RiverPolicy(changed);
    }

    /** A topic as listsubs and status show it: {@code ViewPage}, or {@code Offer where source=location}. */
    public String describe(Topic topic) {
        ContentFilter filter = topics.get(topic);
        return filter == null || filter.isWhole() ? topic.value() : topic.value() + " where " + filter.text();
    }

    /** The MessageBody policy: one branch, or {@code $or} of them. */
    public ObjectNode bodyPolicy() {
        List<ObjectNode> branches = new ArrayList<>();
        SortedSet<Topic> whole = new TreeSet<>();
        topics.forEach((topic, filter) -> {
            if (filter.isWhole()) {
                whole.add(topic);
            }
        });
        if (!whole.isEmpty()) {
            ObjectNode branch = JsonNodeFactory.instance.objectNode();
            ArrayNode types = branch.putArray(TYPE_KEY);
            whole.forEach(t -> types.add(t.value()));
            branches.add(branch);
        }
        topics.forEach((topic, filter) -> {
            if (!filter.isWhole()) {
                branches.add(branch(topic, filter));
            }
        });
        if (branches.size() == 1) {
            return branches.get(0);
        }
        ObjectNode policy = JsonNodeFactory.instance.objectNode();
        ArrayNode or = policy.putArray("$or");
        branches.forEach(or::add);
        return policy;
    }

    /** One topic's policy on its own: what the embedded router matches an event of that type with. */
    public static ObjectNode branch(Topic topic, ContentFilter filter) {
        ObjectNode branch = JsonNodeFactory.instance.objectNode();
        branch.putArray(TYPE_KEY).add(topic.value());
        if (!filter.isWhole()) {
            branch.set(PAYLOAD_KEY, filter.payloadPolicy());
        }
        return branch;
    }

    public String bodyPolicyText() {
        return text(bodyPolicy());
    }

    public static String text(JsonNode policy) {
        try {
            return PLAIN.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a MessageBody policy this class wrote. */
    public static RiverPolicy fromBodyPolicy(JsonNode policy) {
        List<JsonNode> branches = new ArrayList<>();
        if (policy.has("$or")) {
            policy.get("$or").forEach(branches::add);
        } else {
            branches.add(policy);
        }
        SortedMap<Topic, ContentFilter> topics = new TreeMap<>();
        for (JsonNode branch : branches) {
            ContentFilter filter = branch.has(PAYLOAD_KEY) ? ContentFilter.fromPayloadPolicy(branch.get(PAYLOAD_KEY))
                    : ContentFilter.WHOLE;
            branch.path(TYPE_KEY).forEach(type -> topics.put(Topic.of(type.asText()), filter));
        }
        return new RiverPolicy(topics);
    }

    /**
     * The policy's combinations as SNS's documentation counts them (each array's size times how deep it sits,
     * multiplied), with {@code $or} counted as moto counts it, its branches multiplied: the stricter reading,
     * so a policy accepted here is accepted by both.
     */
    public static long combinations(JsonNode policy) {
        long[] product = {1};
        count(policy, 1, product);
        return product[0];
    }

    private static void count(JsonNode node, int depth, long[] product) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                count(value, depth + 1, product);
            } else if (value.isArray()) {
                if ("$or".equals(field.getKey())) {
                    value.forEach(branch -> count(branch, depth + 1, product));
                }
                product[0] = Math.min(Long.MAX_VALUE / 1000, product[0] * value.size() * depth);
            }
        }
    }

    /** Every SNS limit this river's policy must meet, checked before SNS is asked; one line naming the one passed. */
    public void requireWithinLimits(RiverName river) {
        if (!filtered()) {
            return;
        }
        ObjectNode policy = bodyPolicy();
        long combinations = combinations(policy);
        if (combinations > MAX_COMBINATIONS) {
            throw new InvalidInput("river '" + river + "' would have a filter policy of " + combinations + " combinations, SNS"
                    + " allows " + MAX_COMBINATIONS + " (" + topics.size() + " topics, " + topics.values().stream()
                    .filter(f -> !f.isWhole()).count() + " filtered): give the filtered topic a river of its own, or fewer values");
        }
        int bytes = bodyPolicyText().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new InvalidInput("river '" + river + "' would have a filter policy of " + bytes + " bytes, SNS allows "
                    + MAX_BYTES + " (256 KB): fewer or shorter values");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RiverPolicy that && topics.equals(that.topics);
    }

    @Override
    public int hashCode() {
        return topics.hashCode();
    }

    @Override
    public String toString() {
        return topics.toString();
    }
}
