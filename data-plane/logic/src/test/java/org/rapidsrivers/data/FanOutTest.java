package org.rapidsrivers.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.plane.TrafficRecorder;
import org.rapidsrivers.core.testing.InMemoryDeadLetters;
import org.rapidsrivers.core.testing.InMemoryRivers;
import org.rapidsrivers.core.testing.Records;

class FanOutTest {
    private static final RiverName R1 = RiverName.of("r1");
    private static final RiverName R2 = RiverName.of("r2");
    private final InMemoryRivers rivers = new InMemoryRivers();
    private final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private final FanOut fanOut = new FanOut(rivers, deadLetters, TrafficRecorder.NONE);
    private final Records records = new Records();

    @BeforeEach
    void twoRivers() {
        rivers.create(R1);
        rivers.create(R2);
        rivers.subscribe(R1, Topic.of("ViewPage"));
        rivers.subscribe(R2, Topic.of("ViewPage"));
        rivers.subscribe(R2, Topic.of("OfferMade"));
    }

    @Test
    void routesEachEventToEveryRiverSubscribedToItsType() {
        Event view = event("ViewPage");
        Event offer = event("OfferMade");
        Event ignored = event("NobodyWantsThis");

        BatchResult result = fanOut.process(records.of(view.toJson(), offer.toJson(), ignored.toJson()));

        assertThat(result.succeeded()).isTrue();
        assertThat(rivers.messagesIn(R1)).containsExactly(view.toJson());
        assertThat(rivers.messagesIn(R2)).containsExactly(view.toJson(), offer.toJson());
        assertThat(deadLetters.buried()).isEmpty();
    }

    @Test
    void theEventGoesOutExactlyAsItCameInUnknownFieldsAndAll() {
        var json = event("ViewPage").toJsonNode();
        json.put("schemaVersion", 2);

        fanOut.process(records.of(Json.compact(json)));

        assertThat(Json.parse(rivers.messagesIn(R1).get(0)).get("schemaVersion").asInt()).isEqualTo(2);
    }

    @Test
    void anUnroutableRecordGoesToTheDeadLettersWithTheReasonAndDoesNotBlockTheRest() {
        Event before = event("ViewPage");
        Event after = event("ViewPage");
        List<StreamRecord> batch = records.of(before.toJson(), "this is not json", "{\"eventName\":\"ViewPage\"}", after.toJson());

        BatchResult result = fanOut.process(batch);

        assertThat(result.succeeded()).isTrue();
        assertThat(rivers.messagesIn(R1)).containsExactly(before.toJson(), after.toJson());
        assertThat(deadLetters.buried()).extracting(b -> b.record().sequenceNumber())
                .containsExactly(batch.get(1).sequenceNumber(), batch.get(2).sequenceNumber());
        assertThat(deadLetters.buried().get(0).reason()).startsWith("malformed JSON");
        assertThat(deadLetters.buried().get(1).reason()).isEqualTo("invalid event: eventId is missing");
    }

    @Test
    void anEventTooLargeForSnsIsDeadLettered() {
        Event big = Event.builder(Topic.of("ViewPage"), "S", Json.object().put("blob", "x".repeat(Event.MAX_BYTES))).build();

        assertThat(fanOut.process(records.of(big.toJson())).succeeded()).isTrue();

        assertThat(rivers.messagesIn(R1)).isEmpty();
        assertThat(deadLetters.buried()).singleElement().satisfies(b -> assertThat(b.reason()).startsWith("event is too large"));
    }

    @Test
    void whenRoutingStopsTheFailedRecordAndAllAfterItAreReportedAndNothingAfterIsBuried() {
        List<StreamRecord> batch = records.of(event("ViewPage").toJson(), event("ViewPage").toJson(), "garbage",
                event("ViewPage").toJson());
        rivers.failRoutingAt(1);

        BatchResult result = fanOut.process(batch);

        assertThat(result.failedSequenceNumbers()).containsExactly(batch.get(1).sequenceNumber(),
                batch.get(2).sequenceNumber(), batch.get(3).sequenceNumber());
        assertThat(result.reason()).isEqualTo("injected routing failure");
        assertThat(rivers.messagesIn(R1)).hasSize(1);
        assertThat(deadLetters.buried()).isEmpty();
    }

    @Test
    void retryingFromTheFailedRecordDeliversEachEventOnce() {
        List<StreamRecord> batch = records.of(event("ViewPage").toJson(), event("ViewPage").toJson(), event("ViewPage").toJson());
        rivers.failRoutingAt(1);
        BatchResult first = fanOut.process(batch);

        int from = batch.indexOf(batch.stream().filter(r -> r.sequenceNumber().equals(first.failedSequenceNumbers().get(0))).findFirst().orElseThrow());
        assertThat(fanOut.process(batch.subList(from, batch.size())).succeeded()).isTrue();

        assertThat(rivers.messagesIn(R1)).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void whenBuryingFailsNothingAfterTheUnroutableRecordWasRoutedSoTheRetryDeliversEachOnce() {
        List<StreamRecord> batch = records.of(event("ViewPage").toJson(), "garbage", event("ViewPage").toJson(),
                event("ViewPage").toJson());
        deadLetters.failNextBury();

        BatchResult first = fanOut.process(batch);

        assertThat(first.failedSequenceNumbers()).containsExactly(batch.get(1).sequenceNumber(),
                batch.get(2).sequenceNumber(), batch.get(3).sequenceNumber());
        assertThat(first.reason()).startsWith("cannot reach the dead-letter destination");
        assertThat(rivers.messagesIn(R1)).hasSize(1);

        assertThat(fanOut.process(batch.subList(1, batch.size())).succeeded()).isTrue();

        assertThat(rivers.messagesIn(R1)).hasSize(3).doesNotHaveDuplicates();
        assertThat(deadLetters.buried()).singleElement().satisfies(b -> assertThat(b.record().text()).isEqualTo("garbage"));
    }

    @Test
    void recordsThatAreNotUtf8OrNestedTooDeepAreDeadLetteredNotChanged() {
        byte[] latin1 = "{\"eventType\":\"ViewPage\",\"payload\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        String deep = "{\"eventType\":\"ViewPage\",\"payload\":" + "[".repeat(100) + "]".repeat(100) + "}";
        List<StreamRecord> batch = List.of(new StreamRecord("shard-0", "1", "k", latin1, null),
                records.of(deep).get(0));

        assertThat(fanOut.process(batch).succeeded()).isTrue();

        assertThat(rivers.messagesIn(R1)).isEmpty();
        assertThat(deadLetters.buried()).extracting(InMemoryDeadLetters.Buried::reason).containsExactly(
                "record is not valid UTF-8 text, so it cannot be delivered unchanged",
                "JSON nested too deep: at most 100 levels of objects and arrays are allowed");
    }

    /**
     * Whatever a service's runner would refuse never reaches a river: an envelope with a required field
     * missing or of the wrong kind, a payload that is not an object, or a field reserved for the runner's
     * own messages (a forged reminder) is dead-lettered once, with the reason {@link Event#parse} gives.
     */
    @Property(tries = 300)
    void anEnvelopeThatIsNotWholeIsDeadLetteredOnceWithItsReasonAndReachesNoRiver(@ForAll("broken") String record) {
        InMemoryRivers fresh = new InMemoryRivers();
        InMemoryDeadLetters buried = new InMemoryDeadLetters();
        fresh.create(R1);
        fresh.subscribe(R1, Topic.of("ViewPage"));
        String reason = catchThrowableOfType(InvalidInput.class, () -> Event.parse(record)).getMessage();

        BatchResult result = new FanOut(fresh, buried, TrafficRecorder.NONE)
                .process(new Records().of(record, event("ViewPage").toJson()));

        assertThat(result.succeeded()).isTrue();
        assertThat(fresh.messagesIn(R1)).hasSize(1).noneMatch(record::equals);
        assertThat(buried.buried()).singleElement().satisfies(b -> {
            assertThat(b.record().text()).isEqualTo(record);
            assertThat(b.reason()).isEqualTo(reason);
        });
    }

    @Provide
    Arbitrary<String> broken() {
        Arbitrary<String> field = Arbitraries.of("eventId", "eventType", "eventDomain", "timestamp", "payload");
        Arbitrary<JsonNode> wrongKind = Arbitraries.of(
                Json.mapper().getNodeFactory().numberNode(7), Json.array().add(1).add(2), Json.mapper().getNodeFactory().booleanNode(true),
                Json.mapper().getNodeFactory().nullNode(), Json.mapper().getNodeFactory().textNode("not-what-it-should-be"));
        Arbitrary<String> missing = field.map(name -> {
            var json = event("ViewPage").toJsonNode();
            json.remove(name);
            return Json.compact(json);
        });
        Arbitrary<String> ofTheWrongKind = Combinators.combine(field, wrongKind).as((name, value) -> {
            var json = event("ViewPage").toJsonNode();
            json.set(name, value);
            return Json.compact(json);
        }).filter(text -> {
            try {
                Event.parse(text);
                return false;
            } catch (InvalidInput refused) {
                return true;
            }
        });
        Arbitrary<String> reserved = Arbitraries.of(Event.RESERVED_FIELDS).map(name -> {
            var json = event("ViewPage").toJsonNode();
            json.putObject(name).put("service", "offer-engine").put("kind", "need/Offer").put("due", "2000-01-01T00:00:00Z");
            return Json.compact(json);
        });
        return Arbitraries.oneOf(missing, ofTheWrongKind, reserved);
    }

    private static Event event(String type) {
        return Event.builder(Topic.of(type), "TheSource", Json.object().put("name", "Sally")).build();
    }
}
