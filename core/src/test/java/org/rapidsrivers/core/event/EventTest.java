package org.rapidsrivers.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;

class EventTest {
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-22T11:00:00Z"), ZoneOffset.UTC);

    @Test
    void aNewEventHasEveryRequiredField() {
        Event event = Event.builder(Topic.of("ViewPage"), "TheSource", Json.parse("{\"name\":\"Sally\"}"))
                .clock(NOON).build();

        assertThat(UUID.fromString(event.id())).isNotNull();
        assertThat(event.type()).isEqualTo(Topic.of("ViewPage"));
        assertThat(event.domain()).isEqualTo("TheSource");
        assertThat(event.toJsonNode().get("timestamp").asText()).isEqualTo("2026-11-22T11:00:00.000Z");
        assertThat(event.payload().get("name").asText()).isEqualTo("Sally");
        assertThat(Event.parse(event.toJson())).isEqualTo(event);
    }

    @Test
    void requiredFieldsComeFirstInTheDocument() {
        Event event = Event.builder(Topic.of("ViewPage"), "TheSource", Json.object()).correlationId("c-1").build();
        assertThat(event.toJson()).startsWith("{\"eventId\":");
        assertThat(event.toJson()).containsSubsequence("eventType", "eventDomain", "timestamp", "payload", "correlationId");
    }

    @Test
    void unknownFieldsAreKept() {
        Event original = Event.builder(Topic.of("ViewPage"), "TheSource", Json.object()).build();
        var json = original.toJsonNode();
        json.put("schemaVersion", 3);
        json.putObject("extra").put("nested", true);

        Event parsed = Event.parse(Json.compact(json));

        assertThat(Json.parse(parsed.toJson()).get("schemaVersion").asInt()).isEqualTo(3);
        assertThat(Json.parse(parsed.toJson()).at("/extra/nested").asBoolean()).isTrue();
    }

    @Test
    void thePartitionKeyIsTheGivenOneElseTheCorrelationIdElseTheRandomEventId() {
        Event plain = Event.builder(Topic.of("T"), "D", Json.object()).build();
        Event correlated = Event.builder(Topic.of("T"), "D", Json.object()).correlationId("corr").build();
        Event keyed = Event.builder(Topic.of("T"), "D", Json.object()).correlationId("corr").partitionKey("key").build();

        assertThat(plain.partitionKey()).isEqualTo(plain.id());
        assertThat(correlated.partitionKey()).isEqualTo("corr");
        assertThat(keyed.partitionKey()).isEqualTo("key");
    }

    @Test
    void namesEachMissingOrMalformedField() {
        String id = UUID.randomUUID().toString();
        assertRefused("[1,2]", "invalid event: expected a JSON object, got array");
        assertRefused("{\"eventType\":\"T\"}", "invalid event: eventId is missing");
        assertRefused("{\"eventId\":\"nope\",\"eventType\":\"T\"}", "invalid event: eventId 'nope' is not a UUID");
        assertRefused("{\"eventId\":\"" + id + "\"}", "invalid event: eventType is missing");
        assertRefused("{\"eventId\":\"" + id + "\",\"eventType\":\"a b\"}", "invalid event: eventType 'a b' must be 1-128 characters");
        assertRefused("{\"eventId\":\"" + id + "\",\"eventType\":\"T\",\"eventDomain\":7}", "invalid event: eventDomain must be a string, got number");
        assertRefused("{\"eventId\":\"" + id + "\",\"eventType\":\"T\",\"eventDomain\":\"D\",\"timestamp\":\"yesterday\"}",
                "invalid event: timestamp 'yesterday' is not an ISO-8601 UTC time");
        assertRefused("{\"eventId\":\"" + id + "\",\"eventType\":\"T\",\"eventDomain\":\"D\",\"timestamp\":\"2026-11-22T11:00:00.000Z\"}",
                "invalid event: payload is missing");
        assertRefused("{\"eventId\":\"" + id + "\",\"eventType\":\"T\",\"eventDomain\":\"D\",\"timestamp\":\"2026-11-22T11:00:00.000Z\","
                + "\"payload\":{},\"tags\":{\"a\":1}}", "invalid event: tag 'a' must be a string");
        assertRefused("{\"eventId\":\"" + id + "\",\"eventType\":\"T\",\"eventDomain\":\"D\",\"timestamp\":\"2026-11-22T11:00:00.000Z\","
                + "\"payload\":[1,2]}", "invalid event: payload must be a JSON object ({} for an empty one), got array");
        assertRefused("{\"eventId\":\"" + id + "\",\"eventType\":\"T\",\"eventDomain\":\"D\",\"timestamp\":\"2026-11-22T11:00:00.000Z\","
                + "\"payload\":{},\"rrReminder\":{\"service\":\"offer-engine\"}}",
                "invalid event: the field rrReminder is reserved for a service's own messages in its river");
        assertRefused("{\"eventType\":", "malformed JSON: ");
        // a right-to-left override would show one publisher as another
        assertRefused("{\"eventId\":\"" + id + "\",\"eventType\":\"T\",\"eventDomain\":\"brand\\u202Ednarb\"}",
                "invalid event: eventDomain must be 1-256 characters with no control or format characters");
    }

    @Test
    void aNewEventsPayloadIsAnObject() {
        assertThatThrownBy(() -> Event.builder(Topic.of("T"), "D", "[1,2]")).isInstanceOf(InvalidInput.class)
                .hasMessage("the payload must be a JSON object such as {\"name\":\"Sally\"} ({} for none), got array");
        assertThatThrownBy(() -> Event.builder(Topic.of("T"), "D", " \"text\" ")).hasMessageEndingWith("got string");
        assertThatThrownBy(() -> Event.builder(Topic.of("T"), "D", Json.array())).hasMessageEndingWith("got array");
        assertThat(Event.builder(Topic.of("T"), "D", " {\"a\":1}").build().payload().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void aRoutableEventNeedsOnlyAValidType() {
        assertThat(Event.parseRoutable("{\"eventType\":\"ViewPage\"}").type()).isEqualTo(Topic.of("ViewPage"));
        assertThatThrownBy(() -> Event.parseRoutable("{\"eventName\":\"ViewPage\"}"))
                .isInstanceOf(InvalidInput.class).hasMessage("invalid event: eventType is missing");
        assertThatThrownBy(() -> Event.parseRoutable("not json")).hasMessageStartingWith("malformed JSON");
    }

    @Test
    void anEventOver256KiBIsRefusedWithItsSize() {
        var payload = Json.object().put("blob", "x".repeat(Event.MAX_BYTES));
        Event big = Event.builder(Topic.of("Big"), "TheSource", payload).build();

        assertThatThrownBy(big::checkSize).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("event is too large: ")
                .hasMessageContaining("the most allowed is 262144");
    }

    @Test
    void anEventJustUnderTheLimitIsAccepted() {
        Event empty = Event.builder(Topic.of("Big"), "TheSource", Json.object().put("blob", "")).build();
        int room = Event.MAX_BYTES - empty.sizeInBytes();
        Event full = Event.builder(Topic.of("Big"), "TheSource", Json.object().put("blob", "x".repeat(room))).build();

        assertThat(full.sizeInBytes()).isEqualTo(Event.MAX_BYTES);
        full.checkSize();
    }

    @Test
    void aJsonProblemIsExplainedOnOneLineWithItsPlace() {
        assertThatThrownBy(() -> Json.parse("{\"name\": Sally}"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("malformed JSON: Unrecognized token 'Sally'")
                .hasMessageContaining("line 1, column")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Json.parse("{\"a\":1} trailing")).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void prettyJsonIsIndentedAndKeepsEmptyContainersTight() {
        assertThat(Json.pretty(Json.parse("{\"a\":{},\"b\":[],\"c\":[1,{\"d\":2}]}"))).isEqualTo(String.join("\n",
                "{",
                "  \"a\": {},",
                "  \"b\": [],",
                "  \"c\": [",
                "    1,",
                "    {",
                "      \"d\": 2",
                "    }",
                "  ]",
                "}"));
        assertThat(Json.pretty(Json.array())).isEqualTo("[]");
    }

    @Test
    void aParsedEventIsWrittenBackExactlyAsItArrived() {
        String text = "{\"eventId\":\"7dcfc14f-a197-4769-b8e0-aff2c76b8bd7\",\"eventType\":\"T\",\"eventDomain\":\"D\","
                + "\"timestamp\":\"2026-11-22T11:00:00.000Z\",\"payload\":{\"price\":1.50}}";
        assertThat(Event.parse(text).toJson()).isEqualTo(text);
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> Event.parse(json)).isInstanceOf(InvalidInput.class).hasMessageStartingWith(message);
    }
}
