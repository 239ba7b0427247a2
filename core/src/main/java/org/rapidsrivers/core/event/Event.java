package org.rapidsrivers.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands the standard envelope every event travels in on the rapids and in the rivers:
 * eventId, eventType, eventDomain, timestamp and payload, with optional partitionKey,
 * correlationId, causationId, hops and tags. Fields it does not know are kept, never dropped.
 */
public final class Event {
    /** SNS's default message limit; the two message attributes that travel with an event count too. */
    public static final int MAX_BYTES = 256 * 1024;
    public static final int MAX_PARTITION_KEY_LENGTH = 256;
    public static final int MAX_DOMAIN_LENGTH = 256;
    /**
     * Top-level fields a service's runner keeps for its own messages (a reminder is marked so in its river):
     * an envelope from the rapids that carries one is not an event, so nobody can pass one off as the other.
     */
    public static final Set<String> RESERVED_FIELDS = Set.of("rrReminder");

    private final ObjectNode json;
    private String text;

    private Event(ObjectNode json, String text) {
        this.json = json;
        this.text = text;
    }

    /** Starts a new event with a fresh id and the current time; {@link Builder} adds the optional fields. */
    public static Builder builder(Topic type, String domain, JsonNode payload) {
        if (payload != null && !payload.isObject()) {
            throw new InvalidInput("the payload must be a JSON object ({} for none), got " + kind(payload));
        }
        return new Builder(type, domain, payload == null ? "{}" : Json.compact(payload));
    }

    /**
     * Starts a new event whose payload is the given JSON text, kept as written: numbers keep their
     * text. The payload is refused here if a reader could not take it back (see {@link Json#check}).
     */
    public static Builder builder(Topic type, String domain, String payloadJson) {
        Json.check(payloadJson, Json.MAX_DEPTH - 1);
        // one whole value (checked above): an object when it opens with a brace
        if (!payloadJson.strip().startsWith("{")) {
            throw new InvalidInput("the payload must be a JSON object such as {\"name\":\"Sally\"} ({} for none), got "
                    + kind(Json.parse(payloadJson)));
        }
        return new Builder(type, domain, Json.compactText(payloadJson));
    }

    /** The envelope the text holds, whole, or empty when it holds none: a reader's "an event or nothing". */
    public static Optional<Event> whole(String text) {
        try {
            return Optional.of(parse(text));
        } catch (InvalidInput notAnEvent) {
            return Optional.empty();
        }
    }

    /**
     * Reads a whole envelope: every required field present and well formed, the payload an object, no
     * reserved field. What this refuses, no service could handle: the fan-out dead-letters it at once.
     */
    public static Event parse(String text) {
        Event event = envelope(text);
        event.validate();
        return event;
    }

    /**
     * Reads an envelope only as far as its type: for indexing and showing what reached the rapids, never
     * for routing or handling (those read it whole, {@link #parse}).
     */
    public static Event parseRoutable(String text) {
        Event event = envelope(text);
        event.type();
        return event;
    }

    private static Event envelope(String text) {
        JsonNode node = Json.parseChecked(text);
        if (!node.isObject()) {
            throw new InvalidInput("invalid event: expected a JSON object, got " + kind(node));
        }
        return new Event((ObjectNode) node, text.strip());
    }

    public String id() {
        return text("eventId").orElse(null);
    }

    public Topic type() {
        String type = requiredText("eventType");
        if (!Topic.isValid(type)) {
            throw new InvalidInput("invalid event: eventType '" + Printable.of(type)
                    + "' must be 1-128 characters with no whitespace, control or format characters");
        }
        return Topic.of(type);
    }

    public String domain() {
        return text("eventDomain").orElse("");
    }

    public Instant timestamp() {
        return Instant.parse(requiredText("timestamp"));
    }

    public JsonNode payload() {
        return json.get("payload");
    }

    public Optional<String> correlationId() {
        return text("correlationId");
    }

    public Optional<String> causationId() {
        return text("causationId");
    }

    /** One of the event's tags. */
    public Optional<String> tag(String name) {
        JsonNode tags = json.get("tags");
        JsonNode value = tags == null ? null : tags.get(name);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    /** How many events stand between this one and the event that started its chain (0 for that one). */
    public int hops() {
        JsonNode hops = json.get("hops");
        return hops != null && hops.canConvertToInt() ? hops.asInt() : 0;
    }

    /** The key that spreads events over shards: the given one, else the correlation id, else the random event id. */
    public String partitionKey() {
        return text("partitionKey").or(this::correlationId).orElseGet(() -> text("eventId").orElse(UUID.randomUUID().toString()));
    }

    /** A copy of the whole envelope, unknown fields included. */
    public ObjectNode toJsonNode() {
        return json.deepCopy();
    }

    /** The envelope as JSON: for an event that was read, exactly the text it arrived as. */
    public String toJson() {
        if (text == null) {
            text = Json.compact(json);
        }
        return text;
    }

    /** Bytes SNS counts for this event: the envelope plus its event_type, eventType and event_domain attributes. */
    public int sizeInBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8).length + attributeBytes();
    }

    public void checkSize() {
        int size = sizeInBytes();
        if (size > MAX_BYTES) {
            throw new InvalidInput("event is too large: " + size + " bytes, the most allowed is "
                    + MAX_BYTES + " (256 KiB, the SNS message limit)");
        }
    }

    private int attributeBytes() {
        int type = utf8(text("eventType").orElse(""));
        return "event_type".length() + "String".length() + type + "eventType".length() + "String".length() + type
                + "event_domain".length() + "String".length() + utf8(domain());
    }

    private void validate() {
        String id = requiredText("eventId");
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("invalid event: eventId '" + Printable.of(id) + "' is not a UUID");
        }
        type();
        String domain = requiredText("eventDomain");
        if (domain.isEmpty() || domain.length() > MAX_DOMAIN_LENGTH || domain.codePoints().anyMatch(Printable::acts)) {
            throw new InvalidInput("invalid event: eventDomain must be 1-256 characters with no control or format characters");
        }
        String timestamp = requiredText("timestamp");
        try {
            Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw new InvalidInput("invalid event: timestamp '" + Printable.of(timestamp)
                    + "' is not an ISO-8601 UTC time such as 2026-11-22T11:00:00.000Z");
        }
        JsonNode payload = json.get("payload");
        if (payload == null) {
            throw new InvalidInput("invalid event: payload is missing (use {} for an empty payload)");
        }
        if (!payload.isObject()) {
            throw new InvalidInput("invalid event: payload must be a JSON object ({} for an empty one), got " + kind(payload));
        }
        for (String reserved : RESERVED_FIELDS) {
            if (json.has(reserved)) {
                throw new InvalidInput("invalid event: the field " + reserved + " is reserved for a service's own messages"
                        + " in its river and cannot come from the rapids");
            }
        }
        optionalText("partitionKey").ifPresent(key -> {
            if (key.isEmpty() || key.length() > MAX_PARTITION_KEY_LENGTH) {
                throw new InvalidInput("invalid event: partitionKey must be 1-256 characters");
            }
        });
        optionalText("correlationId");
        optionalText("causationId");
        JsonNode hops = json.get("hops");
        if (hops != null && !hops.isNull() && !(hops.canConvertToInt() && hops.isIntegralNumber() && hops.asInt() >= 0)) {
            throw new InvalidInput("invalid event: hops must be a whole number, 0 or more");
        }
        JsonNode tags = json.get("tags");
        if (tags != null && !tags.isNull()) {
            if (!tags.isObject()) {
                throw new InvalidInput("invalid event: tags must be an object of strings");
            }
            for (Map.Entry<String, JsonNode> tag : tags.properties()) {
                if (!tag.getValue().isTextual()) {
                    throw new InvalidInput("invalid event: tag '" + Printable.of(tag.getKey()) + "' must be a string");
                }
            }
        }
    }

    private String requiredText(String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInput("invalid event: " + field + " is missing");
        }
        if (!value.isTextual()) {
            throw new InvalidInput("invalid event: " + field + " must be a string, got " + kind(value));
        }
        return value.asText();
    }

    private Optional<String> optionalText(String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidInput("invalid event: " + field + " must be a string, got " + kind(value));
        }
        return Optional.of(value.asText());
    }

    private Optional<String> text(String field) {
        JsonNode value = json.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Event that && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Understands how to assemble a new envelope with its required fields first. */
    public static final class Builder {
        private final ObjectNode json = Json.object();
        private Clock clock = Clock.systemUTC();

        private Builder(Topic type, String domain, String payloadText) {
            json.put("eventId", UUID.randomUUID().toString());
            json.put("eventType", type.value());
            json.put("eventDomain", domain);
            json.putNull("timestamp");
            json.putRawValue("payload", new RawValue(payloadText));
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder partitionKey(String key) {
            json.put("partitionKey", key);
            return this;
        }

        public Builder correlationId(String id) {
            json.put("correlationId", id);
            return this;
        }

        public Builder causationId(String id) {
            json.put("causationId", id);
            return this;
        }

        /**
         * An id of the caller's instead of a random one: a service that derives it from the event it
         * reacts to publishes the same event again when that is redelivered, so consumers can skip it.
         */
        public Builder eventId(String id) {
            json.put("eventId", id);
            return this;
        }

        /** How many events stand between this one and the start of its chain. */
        public Builder hops(int hops) {
            json.put("hops", hops);
            return this;
        }

        public Builder tag(String name, String value) {
            ObjectNode tags = json.has("tags") ? (ObjectNode) json.get("tags") : json.putObject("tags");
            tags.put(name, value);
            return this;
        }

        /** Validated like any event read from the wire, so a bad one never leaves this process. */
        public Event build() {
            ObjectNode copy = json.deepCopy();
            copy.put("timestamp", Timestamps.format(Instant.now(clock)));
            String text = Json.compact(copy);
            Event event = new Event((ObjectNode) Json.parse(text), text);
            event.validate();
            return event;
        }
    }
}
