package org.rapidsrivers.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.archive.ArchiveQuery;
import org.rapidsrivers.core.archive.Replayer;
import org.rapidsrivers.core.archive.Trace;
import org.rapidsrivers.core.archive.Tracer;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.ConsumerLag;
import org.rapidsrivers.core.operate.InstanceNote;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.PlaneDeadLetter;
import org.rapidsrivers.core.operate.RiverDeadLetter;
import org.rapidsrivers.core.operate.RiverStatus;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.ports.DeadLetterNote;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.testing.JsonTexts;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceRunner;

/**
 * Understands what every backend must do, seen only through core's ports with the planes running:
 * the same inputs give the same observable results on the embedded backend and on AWS. Each test
 * uses rivers and topics of its own, so the tests can share one stage.
 */
abstract class BackendConformance {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int ROUND_TRIPS = 150;
    private final String unique = Long.toString(System.nanoTime() % 1_000_000, 36) + NEXT.incrementAndGet();

    /** The backend under test, with its planes hosted. */
    protected abstract Backend backend();

    /** Puts bytes on the rapids as they are, bypassing the envelope checks: what a careless client could do. */
    protected abstract void putRawOnRapids(String partitionKey, byte[] data);

    /** What the fan-out gave up on so far, as the texts of the records with their reasons. */
    protected abstract List<String> fanOutDeadLetters();

    @Test
    void subscribingMakesTheRiverAndItsTopicsAreKeptSorted() {
        RiverName river = river("a");
        assertThat(backend().rivers().exists(river)).isFalse();

        assertThat(apply(ControlCommand.subscribe(river, topic("Zebra"), clock())).applied()).isTrue();
        assertThat(apply(ControlCommand.subscribe(river, topic("Apple"), clock())).applied()).isTrue();
        assertThat(apply(ControlCommand.subscribe(river, topic("Apple"), clock())).applied()).isTrue();

        assertThat(backend().rivers().exists(river)).isTrue();
        assertThat(backend().rivers().names()).contains(river);
        assertThat(backend().subscriptions().topicsOf(river)).containsExactly(topic("Apple"), topic("Zebra"));
    }

    @Test
    void anEventReachesEveryRiverSubscribedToItsTypeAndNoOther() {
        RiverName pages = river("pages");
        RiverName offers = river("offers");
        apply(ControlCommand.subscribe(pages, topic("ViewPage"), clock()));
        apply(ControlCommand.subscribe(offers, topic("OfferMade"), clock()));
        apply(ControlCommand.subscribe(offers, topic("ViewPage"), clock()));

        Event view = event("ViewPage");
        Event offer = event("OfferMade");
        backend().rapids().publishAll(List.of(view, offer, event("NobodyWants")));

        assertThat(readUntil(pages, 1)).containsExactly(view.toJson());
        assertThat(readUntil(offers, 2)).containsExactlyInAnyOrder(view.toJson(), offer.toJson());
        assertThat(read(pages, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void aRiverFilteredByContentGetsOnlyTheEventsItsFilterLetsThroughAndAWholeOneGetsAll() {
        RiverName near = river("near");
        RiverName far = river("far");
        RiverName all = river("all");
        ContentFilter fromLocation = ContentFilter.parse(List.of("source=location", "score>=10"));
        assertThat(apply(ControlCommand.subscribe(near, topic("Offer"), fromLocation, clock())).applied()).isTrue();
        apply(ControlCommand.subscribe(near, topic("ViewPage"), clock()));
        apply(ControlCommand.subscribe(far, topic("Offer"), ContentFilter.parse(List.of("source^=bra")), clock()));
        apply(ControlCommand.subscribe(all, topic("Offer"), clock()));

        Event located = offer("location", 12);
        Event low = offer("location", 3);
        Event branded = offer("brand", 50);
        Event view = event("ViewPage");
        backend().rapids().publishAll(List.of(located, low, branded, view));

        assertThat(readUntil(near, 2)).containsExactlyInAnyOrder(located.toJson(), view.toJson());
        assertThat(readUntil(far, 1)).containsExactly(branded.toJson());
        assertThat(readUntil(all, 3)).containsExactlyInAnyOrder(located.toJson(), low.toJson(), branded.toJson());
        assertThat(read(far, Duration.ofSeconds(1))).isEmpty();
        assertThat(read(near, Duration.ofSeconds(1))).isEmpty();
        assertThat(backend().subscriptions().policyOf(near).topics())
                .containsEntry(topic("Offer"), fromLocation).containsEntry(topic("ViewPage"), ContentFilter.WHOLE);
    }

    @Test
    void subscribingAgainReplacesWhatTheRiverWantsOfTheTopic() {
        RiverName river = river("changing");
        apply(ControlCommand.subscribe(river, topic("Offer"), ContentFilter.parse(List.of("source=brand")), clock()));
        CommandOutcome same = apply(ControlCommand.subscribe(river, topic("Offer"), ContentFilter.parse(List.of("source=brand")), clock()));
        assertThat(same.applied()).isTrue();
        assertThat(same.changed()).isFalse();

        assertThat(apply(ControlCommand.subscribe(river, topic("Offer"), clock())).changed()).isTrue();
        Event located = offer("location", 1);
        backend().rapids().publish(located);
        assertThat(readUntil(river, 1)).containsExactly(located.toJson());

        apply(ControlCommand.subscribe(river, topic("Offer"), ContentFilter.parse(List.of("source^=bra")), clock()));
        Event branded = offer("brand", 1);
        backend().rapids().publishAll(List.of(offer("location", 2), branded));
        assertThat(readUntil(river, 1)).containsExactly(branded.toJson());
        assertThat(read(river, Duration.ofSeconds(1))).isEmpty();
        assertThat(backend().subscriptions().policyOf(river).topics())
                .containsExactly(Map.entry(topic("Offer"), ContentFilter.parse(List.of("source^=bra"))));
    }

    @Test
    void aFilterPastAnSnsLimitIsRejectedInOneLineAndChangesNothing() {
        RiverName river = river("overfull");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 76; i++) {
            values.add("v" + i);
        }
        CommandOutcome refused = apply(ControlCommand.subscribe(river, topic("Offer"),
                ContentFilter.parse(List.of("source=" + String.join(",", values))), clock()));

        assertThat(refused.applied()).isFalse();
        assertThat(refused.reason()).isEqualTo("river '" + river + "' would have a filter policy of 152 combinations, SNS"
                + " allows 150 (1 topics, 1 filtered): give the filtered topic a river of its own, or fewer values");
        assertThat(backend().rivers().exists(river)).isFalse();
    }

    @Test
    void anEventArrivesExactlyAsItWasPublishedUnknownFieldsAndAll() {
        RiverName river = river("exact");
        apply(ControlCommand.subscribe(river, topic("ViewPage"), clock()));
        var envelope = event("ViewPage").toJsonNode();
        envelope.put("schemaVersion", 3);
        envelope.putObject("tags").put("tenant", "acme");
        Event published = Event.parse(Json.compact(envelope));

        backend().rapids().publish(published);

        assertThat(readUntil(river, 1)).singleElement().satisfies(body -> {
            assertThat(Json.parse(body)).isEqualTo(Json.parse(published.toJson()));
            assertThat(Event.parse(body).id()).isEqualTo(published.id());
        });
    }

    @Test
    void aRiverWhoseLastTopicIsGoneStaysButReceivesNothing() {
        RiverName river = river("quiet");
        apply(ControlCommand.subscribe(river, topic("ViewPage"), clock()));
        assertThat(apply(ControlCommand.unsubscribe(river, topic("ViewPage"), clock())).applied()).isTrue();

        backend().rapids().publish(event("ViewPage"));

        assertThat(backend().rivers().exists(river)).isTrue();
        assertThat(backend().subscriptions().topicsOf(river)).isEmpty();
        assertThat(read(river, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void advertisedTopicsAreInTheCatalogOnce() {
        apply(ControlCommand.advertise(topic("Advertised"), clock()));
        apply(ControlCommand.advertise(topic("Advertised"), clock()));

        assertThat(backend().catalog().topics()).containsOnlyOnce(topic("Advertised"));
    }

    @Test
    void commandsThatCannotBeAppliedComeBackRejectedWithTheReason() {
        CommandOutcome ghost = apply(ControlCommand.unsubscribe(river("ghost"), topic("T"), clock()));

        assertThat(ghost.applied()).isFalse();
        assertThat(ghost.reason()).isEqualTo("river '" + river("ghost") + "' does not exist");
    }

    @Test
    void the151stTopicOfARiverIsRefused() {
        RiverName river = river("crowded");
        List<ControlCommand> commands = new ArrayList<>();
        for (int i = 1; i <= 151; i++) {
            commands.add(ControlCommand.subscribe(river, topic("T" + i), clock()));
        }
        Optional<CommandOutcome> last;
        try (Outcomes.Watch watch = backend().outcomes().watch()) {
            commands.forEach(backend().controlStream()::send);
            last = watch.await(commands.get(150).commandId(), Duration.ofSeconds(120));
        }

        assertThat(last).hasValueSatisfying(outcome -> {
            assertThat(outcome.applied()).isFalse();
            assertThat(outcome.reason()).startsWith("river '" + river + "' already has 150 topics");
        });
        assertThat(backend().subscriptions().topicsOf(river)).hasSize(150).doesNotContain(topic("T151"));
    }

    @Test
    void aMessageReceivedFiveTimesWithoutADeleteMovesToTheDeadLetterQueue() {
        RiverName river = river("poison");
        apply(ControlCommand.subscribe(river, topic("Hard"), clock()));
        backend().rapids().publish(event("Hard"));
        List<Integer> counts = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (counts.size() < 5 && System.nanoTime() < deadline) {
            backend().rivers().receive(river, 10, Duration.ofSeconds(1), Duration.ZERO).forEach(d -> counts.add(d.receiveCount()));
        }
        assertThat(counts).containsExactly(1, 2, 3, 4, 5);

        assertThat(backend().rivers().receive(river, 10, Duration.ofSeconds(1), Duration.ZERO)).isEmpty();
        assertThat(movedToDeadLetterQueue(river)).isEqualTo(1);
    }

    @Test
    void aMessagePutForLaterComesOnlyWhenDueAsItWasPutAndGoesWhenDeleted() {
        RiverName river = river("reminded");
        apply(ControlCommand.subscribe(river, topic("Anything"), clock()));
        String body = "{\"rrReminder\":{\"kind\":\"need/Offer\",\"key\":\"k1\"},\"cause\":\"ü 1e400\"}";

        backend().rivers().putLater(river, body, Duration.ofSeconds(2));

        assertThat(backend().rivers().receive(river, 10, Duration.ZERO, Duration.ofSeconds(30))).as("not yet due").isEmpty();
        List<Delivery> due = Awaitility.await().atMost(PATIENCE).until(
                () -> backend().rivers().receive(river, 10, Duration.ofSeconds(1), Duration.ofSeconds(30)), got -> !got.isEmpty());
        assertThat(due).singleElement().satisfies(d -> {
            assertThat(d.body()).isEqualTo(body);
            assertThat(d.reminder()).as("marked as the river's own reminder").isTrue();
        });
        backend().rivers().delete(river, due);
        backend().rivers().changeVisibility(river, due, Duration.ZERO);
        assertThat(backend().rivers().receive(river, 10, Duration.ofSeconds(1), Duration.ZERO)).as("deleted").isEmpty();
    }

    @Test
    void aRecordThatCanNeverBeRoutedGoesToTheDeadLettersAndTheRestStillFlow() {
        RiverName river = river("survivor");
        apply(ControlCommand.subscribe(river, topic("ViewPage"), clock()));
        String key = "same-shard-" + unique;
        Event before = Event.builder(topic("ViewPage"), "S", Json.object()).partitionKey(key).build();
        Event after = Event.builder(topic("ViewPage"), "S", Json.object()).partitionKey(key).build();
        String poison = "not json " + unique;

        backend().rapids().publish(before);
        putRawOnRapids(key, poison.getBytes(StandardCharsets.UTF_8));
        backend().rapids().publish(after);

        // a standard queue promises no order (LocalStack once delivered these two reversed): the set is what holds
        assertThat(readUntil(river, 2)).containsExactlyInAnyOrder(before.toJson(), after.toJson());
        eventually().untilAsserted(() ->
                assertThat(fanOutDeadLetters()).anySatisfy(d -> assertThat(d).contains(poison).contains("malformed JSON")));
    }

    /**
     * Only whole envelopes reach a river, and nothing from the rapids is marked as a reminder: a record that
     * carries the reserved field, one with no eventId, one whose payload is an array are each dead-lettered once
     * by the fan-out with the reason, while the whole event behind them arrives, unmarked.
     */
    @Test
    void onlyWholeEnvelopesReachARiverAndNoneIsMarkedAReminder() {
        RiverName river = river("whole");
        apply(ControlCommand.subscribe(river, topic("ViewPage"), clock()));
        String key = "whole-" + unique;
        Event genuine = Event.builder(topic("ViewPage"), "S", Json.object()).partitionKey(key).build();
        var forged = genuine.toJsonNode();
        forged.put("eventId", UUID.randomUUID().toString());
        forged.putObject("rrReminder").put("service", river.value()).put("kind", "need/Offer").put("due", "2000-01-01T00:00:00Z");
        var noId = genuine.toJsonNode();
        noId.remove("eventId");
        noId.put("marker", "no-id-" + unique);
        var arrayPayload = genuine.toJsonNode();
        arrayPayload.put("eventId", UUID.randomUUID().toString());
        arrayPayload.set("payload", Json.array().add(1).add(2));

        for (var broken : List.of(forged, noId, arrayPayload)) {
            putRawOnRapids(key, Json.compact(broken).getBytes(StandardCharsets.UTF_8));
        }
        backend().rapids().publish(genuine);

        List<Delivery> arrived = new ArrayList<>();
        eventually().untilAsserted(() -> {
            List<Delivery> batch = backend().rivers().receive(river, 10, Duration.ofSeconds(1), Duration.ofSeconds(30));
            arrived.addAll(batch);
            backend().rivers().delete(river, batch);
            assertThat(arrived).isNotEmpty();
        });
        assertThat(arrived).singleElement().satisfies(d -> {
            assertThat(d.body()).isEqualTo(genuine.toJson());
            assertThat(d.reminder()).isFalse();
        });
        eventually().untilAsserted(() -> assertThat(fanOutDeadLetters())
                .anySatisfy(d -> assertThat(d).contains(forged.get("eventId").asText()).contains("rrReminder is reserved"))
                .anySatisfy(d -> assertThat(d).contains("no-id-" + unique).contains("eventId is missing"))
                .anySatisfy(d -> assertThat(d).contains(arrayPayload.get("eventId").asText()).contains("payload must be a JSON object")));
    }

    /**
     * Arbitrary payloads (every number form, every Unicode plane, escapes, nesting up to the limit)
     * arrive byte for byte as published, and print with the same meaning and the same number text.
     */
    @Test
    void arbitraryPayloadsArriveByteForByteAndPrintWithTheSameNumbers() {
        RiverName river = river("roundtrip");
        apply(ControlCommand.subscribe(river, topic("Any"), clock()));
        List<String> payloads = new ArrayList<>(JsonTexts.objects(6).sampleStream().limit(ROUND_TRIPS).toList());
        payloads.add("{\"deepest\":" + JsonTexts.nested(Json.MAX_DEPTH - 2) + "}");
        payloads.add("{\"n\":[1e400,-1e309,123456789012345678.5,1e-400,1.10,1e+21,-0]}");
        Map<String, String> sent = new HashMap<>();
        List<Event> events = new ArrayList<>();
        for (String payload : payloads) {
            Event event = Event.builder(topic("Any"), "S", payload).build();
            sent.put(event.id(), payload);
            events.add(event);
        }
        for (int from = 0; from < events.size(); from += 50) {
            backend().rapids().publishAll(events.subList(from, Math.min(events.size(), from + 50)));
        }

        List<String> bodies = readUntil(river, events.size());

        assertThat(bodies).containsExactlyInAnyOrderElementsOf(events.stream().map(Event::toJson).toList());
        for (String body : bodies) {
            String payload = sent.get(Event.parse(body).id());
            String printed = Json.arrayText(List.of(body), true);
            assertThat(Json.parse(printed).get(0).get("payload")).isEqualTo(Json.parse(payload));
            assertThat(JsonTexts.numberTexts(printed)).isEqualTo(JsonTexts.numberTexts(payload));
        }
    }

    @Test
    void recordsThatCouldNotArriveUnchangedGoToTheDeadLettersWithTheReason() {
        RiverName river = river("strict");
        apply(ControlCommand.subscribe(river, topic("Strict"), clock()));
        String key = "strict-" + unique;
        byte[] latin1 = ("{\"eventType\":\"" + topic("Strict") + "\",\"payload\":\"caf\u00e9 " + unique + "\"}")
                .getBytes(StandardCharsets.ISO_8859_1);
        String deep = "{\"eventType\":\"" + topic("Strict") + "\",\"u\":\"" + unique + "\",\"payload\":"
                + JsonTexts.nested(Json.MAX_DEPTH) + "}";
        Event after = Event.builder(topic("Strict"), "S", Json.object()).partitionKey(key).build();

        putRawOnRapids(key, latin1);
        putRawOnRapids(key, deep.getBytes(StandardCharsets.UTF_8));
        backend().rapids().publish(after);

        assertThat(readUntil(river, 1)).containsExactly(after.toJson());
        eventually().until(() -> fanOutDeadLetters().stream().filter(d -> d.contains(unique)).count() >= 2);
        assertThat(fanOutDeadLetters()).filteredOn(d -> d.contains(unique)).hasSize(2)
                .anySatisfy(d -> assertThat(d).startsWith("record is not valid UTF-8 text"))
                .anySatisfy(d -> assertThat(d).startsWith("JSON nested too deep: at most 100 levels"));
    }

    @Test
    void readingARiverThatDoesNotExistSaysSo() {
        assertThatThrownBy(() -> backend().rivers().receive(river("nowhere"), 10, Duration.ZERO, Duration.ofSeconds(30)))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("river '" + river("nowhere") + "' does not exist (subscribe it to a topic to create it)");
    }

    @Test
    void statusCountsWhatWaitsWhatIsHeldAndWhatWasGivenUpOnAndRedriveBringsItBackOnce() {
        RiverName river = river("stuck");
        apply(ControlCommand.subscribe(river, topic("Stuck"), clock()));
        List<Event> events = List.of(event("Stuck"), event("Stuck"), event("Stuck"));
        backend().rapids().publishAll(events);
        awaitStatus(river, s -> s.visible() == 3);
        // every receive without a delete counts; the one after the fifth moves the message on
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (movedToDeadLetterQueue(river) < 3 && System.nanoTime() < deadline) {
            backend().rivers().receive(river, 10, Duration.ofSeconds(1), Duration.ZERO);
        }
        Event held = event("Stuck");
        backend().rapids().publish(held);
        awaitStatus(river, s -> s.visible() == 1);
        assertThat(backend().rivers().receive(river, 10, Duration.ofSeconds(5), Duration.ofSeconds(60))).hasSize(1);

        RiverStatus status = awaitStatus(river, s -> s.inFlight() == 1 && s.deadLettered() == 3);
        assertThat(status.topics()).containsExactly(topic("Stuck"));
        assertThat(status.visible()).isZero();
        // the message in hand is aged from when it was sent (not from 1970); nothing waits
        if (agesMessages()) {
            assertThat(status.oldestAge()).hasValueSatisfying(age -> assertThat(age).isBetween(Duration.ZERO, PATIENCE));
        } else {
            assertThat(status.oldestAge()).isEmpty();
        }
        assertThat(status.oldestWaiting()).isEmpty();
        assertThat(status.since()).hasValueSatisfying(made -> assertThat(Duration.between(made, Instant.now()).abs())
                .isLessThan(Duration.ofMinutes(10)));
        assertThat(backend().operations().rivers()).extracting(RiverStatus::river).contains(river);

        // looking leaves them where they are
        List<String> first = backend().operations().deadLetters(river, 10).stream().map(RiverDeadLetter::body).toList();
        List<String> second = backend().operations().deadLetters(river, 10).stream().map(RiverDeadLetter::body).toList();
        assertThat(first).containsExactlyInAnyOrderElementsOf(events.stream().map(Event::toJson).toList());
        assertThat(second).containsExactlyInAnyOrderElementsOf(first);

        assertThat(backend().operations().redrive(river, 1000)).isEqualTo(3);
        assertThat(readUntil(river, 3)).containsExactlyInAnyOrderElementsOf(events.stream().map(Event::toJson).toList());
        assertThat(backend().operations().redrive(river, 1000)).isZero();
        assertThat(awaitStatus(river, s -> s.deadLettered() == 0).deadLettered()).isZero();
    }

    @Test
    void aMessageGivenUpOnKeepsItsReasonAndADiscardRecordsWhatItRemovesFirst() {
        RiverName river = river("reasons");
        apply(ControlCommand.subscribe(river, topic("Failing"), clock()));
        Event first = event("Failing");
        Event second = event("Failing");
        backend().rapids().publishAll(List.of(first, second));
        List<Delivery> received = new ArrayList<>();
        eventually().until(() -> {
            received.addAll(backend().rivers().receive(river, 10, Duration.ofSeconds(1), Duration.ofSeconds(60)));
            return received.size() >= 2;
        });
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        for (Delivery delivery : received) {
            assertThat(backend().rivers().deadLetter(river, delivery, new DeadLetterNote("java.lang.IllegalStateException: closed "
                    + Event.parse(delivery.body()).id(), 5, "reasons", "i-1", at))).isTrue();
        }

        List<RiverDeadLetter> letters = eventually().until(() -> backend().operations().deadLetters(river, 10), l -> l.size() == 2);
        assertThat(backend().rivers().depth(river)).isZero();
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.note()).hasValueSatisfying(note -> {
                assertThat(note.failure()).isEqualTo("java.lang.IllegalStateException: closed " + Event.parse(letter.body()).id());
                assertThat(note.receiveCount()).isEqualTo(5);
                assertThat(note.instanceId()).isEqualTo("i-1");
                assertThat(note.at()).isEqualTo(at);
            });
            assertThat(letter.reason()).contains("closed", "receive 5", "service reasons instance i-1");
        });

        // a record that fails removes nothing; one that works is handed each letter before it goes
        RiverDeadLetter one = letters.stream().filter(l -> Event.parse(l.body()).id().equals(first.id())).findFirst().orElseThrow();
        assertThatThrownBy(() -> backend().operations().discardDeadLetters(river, Set.of(one.id()), 10, l -> {
            throw new IllegalStateException("the disk is full");
        })).hasMessageContaining("the disk is full");
        assertThat(eventually().until(() -> backend().operations().deadLetters(river, 10), l -> l.size() == 2)).hasSize(2);
        List<RiverDeadLetter> recorded = new ArrayList<>();
        List<RiverDeadLetter> discarded = backend().operations().discardDeadLetters(river, Set.of(one.id()), 10, recorded::addAll);
        assertThat(discarded).extracting(RiverDeadLetter::id).containsExactly(one.id());
        assertThat(recorded).extracting(RiverDeadLetter::body).containsExactly(first.toJson());
        List<RiverDeadLetter> left = eventually().until(() -> backend().operations().deadLetters(river, 10), l -> l.size() == 1);
        assertThat(left).extracting(RiverDeadLetter::body).containsExactly(second.toJson());

        // put back, it loses its reason: it is a message of the river again
        assertThat(backend().operations().redrive(river, 10)).isEqualTo(1);
        assertThat(readUntil(river, 1)).containsExactly(second.toJson());
    }

    @Test
    void aPurgedRiverIsEmptyButKeepsItsDeadLettersAndADeletedOneIsGoneWithItsSubscription() {
        RiverName river = river("lifecycle");
        apply(ControlCommand.subscribe(river, topic("Passing"), clock()));
        backend().rapids().publishAll(List.of(event("Passing"), event("Passing"), event("Passing")));
        awaitStatus(river, s -> s.visible() == 3);
        Delivery given = backend().rivers().receive(river, 1, Duration.ofSeconds(5), Duration.ofSeconds(60)).get(0);
        backend().rivers().deadLetter(river, given, new DeadLetterNote("java.lang.IllegalStateException: no", 5, "l", "i", Instant.now()));

        assertThat(backend().rivers().purge(river)).isEqualTo(2);
        RiverStatus purged = awaitStatus(river, s -> s.visible() == 0 && s.deadLettered() == 1);
        assertThat(purged.inFlight()).isZero();

        assertThat(apply(ControlCommand.delete(river, clock())).applied()).isTrue();
        assertThat(backend().rivers().exists(river)).isFalse();
        assertThat(backend().subscriptions().topicsOf(river)).isEmpty();
        assertThatThrownBy(() -> backend().rivers().receive(river, 1, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(InvalidInput.class);
        assertThat(backend().operations().rivers()).extracting(RiverStatus::river).doesNotContain(river);
    }

    @Test
    void aPlanesDeadLetterIsDiscardedByItsIdAndRecordedFirst() {
        putRawOnRapids("discard-" + unique, ("discard me " + unique).getBytes(StandardCharsets.UTF_8));
        PlaneDeadLetter letter = awaitPlaneLetter(Plane.FANOUT, "discard me " + unique);
        List<PlaneDeadLetter> recorded = new ArrayList<>();

        List<PlaneDeadLetter> discarded = backend().operations().discardPlaneDeadLetters(Plane.FANOUT, Set.of(letter.id()), 10,
                recorded::addAll);

        assertThat(discarded).extracting(PlaneDeadLetter::id).containsExactly(letter.id());
        assertThat(recorded).extracting(l -> l.data().orElse("")).containsExactly("discard me " + unique);
        assertThat(backend().operations().planeDeadLetters(Plane.FANOUT, 1000)).noneMatch(l -> l.id().equals(letter.id()));
    }

    @Test
    void theFanOutsDeadLettersAreShownWithTheReasonAndGoBackOnTheRapids() {
        String key = "poison-" + unique;
        putRawOnRapids(key, ("not json " + unique).getBytes(StandardCharsets.UTF_8));
        PlaneDeadLetter letter = awaitPlaneLetter(Plane.FANOUT,
                "not json " + unique);
        assertThat(letter.reason()).startsWith("malformed JSON");
        assertThat(letter.partitionKey()).isEqualTo(key);
        assertThat(letter.redrivable()).isTrue();
        long buried = backend().operations().planeDeadLetterCount(Plane.FANOUT);
        assertThat(buried).isPositive();

        Operations.PlaneRedrive redriven =
                backend().operations().redrivePlane(Plane.FANOUT, 1000);

        // still not JSON: the fan-out buries it again, under a new sequence number; the run put each letter
        // back once and did not take it up again (it would go round the stream and the queue until the limit)
        assertThat(redriven.putBack()).isBetween(1L, buried);
        PlaneDeadLetter again = awaitPlaneLetter(Plane.FANOUT,
                "not json " + unique);
        assertThat(again.sequenceNumber()).isNotEqualTo(letter.sequenceNumber());
    }

    @Test
    void theControlPlanesDeadLettersAreShownAndGoBackOnTheControlStream() {
        String poison = "poison command " + unique;
        giveUpOnAControlRecord("poison-" + unique, poison.getBytes(StandardCharsets.UTF_8),
                "java.lang.IllegalStateException: the queue exists " + unique);
        PlaneDeadLetter letter = awaitPlaneLetter(Plane.CONTROL, poison);
        // the handler's own failure, not only that its host gave up (Lambda's record says no more than that)
        assertThat(letter.reason()).contains("java.lang.IllegalStateException: the queue exists " + unique);

        Operations.PlaneRedrive redriven =
                backend().operations().redrivePlane(Plane.CONTROL, 1000);

        assertThat(redriven.putBack()).isPositive();
        assertThat(backend().operations().planeDeadLetters(Plane.CONTROL, 1000))
                .noneSatisfy(l -> assertThat(l.data()).contains(poison));
    }

    @Test
    void theTrafficNotesCountWhatTheFanOutRoutedPerPublisherAndType() {
        RiverName river = river("noted");
        apply(ControlCommand.subscribe(river, topic("Noted"), clock()));
        String domain = "publisher-" + unique;
        // one partition key: on Kinesis two keys may land on two shards, noted by two batches one after the other
        backend().rapids().publishAll(List.of(Event.builder(topic("Noted"), domain, Json.object()).partitionKey(domain).build(),
                Event.builder(topic("Noted"), domain, Json.object()).partitionKey(domain).build()));
        Event started = Event.builder(Topic.of("ServiceStarted"), domain, Json.object().put("service", domain)
                .put("river", river.value())).partitionKey(domain).build();
        backend().rapids().publish(started);

        // until all three are noted (both types, three events), then exactly what was routed
        List<Traffic> mine = eventually().until(
                () -> backend().operations().traffic().stream().filter(t -> t.domain().equals(domain)).toList(),
                noted -> noted.size() >= 2 && noted.stream().mapToLong(Traffic::count).sum() >= 3);
        assertThat(mine).extracting(t -> t.type().value(), Traffic::count)
                .containsExactlyInAnyOrder(Tuple.tuple(topic("Noted").value(), 2L),
                        Tuple.tuple("ServiceStarted", 1L));
        assertThat(mine).filteredOn(t -> t.type().value().equals("ServiceStarted")).singleElement()
                .satisfies(t -> assertThat(Json.parse(t.lastPayload().orElseThrow())).isEqualTo(started.payload()));
    }

    @Test
    void eachInstanceIsNotedWithItsNewestWordAndAnOlderWordChangesNothing() {
        String service = "instance-" + unique;
        Instant started = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        Event hello = instanceWord("ServiceStarted", service, "i-1", started, started, 0);
        Event alive = instanceWord("ServiceAlive", service, "i-1", started, started.plusSeconds(30), 4);
        Event stopped = instanceWord("ServiceStopped", service, "i-1", started, started.plusSeconds(50), 5);
        Event second = instanceWord("ServiceStarted", service, "i-2", started.plusSeconds(55), started.plusSeconds(55), 0);
        // one partition key: one shard, so the stop is noted after the beat; then a late beat from before it
        backend().rapids().publishAll(List.of(hello, alive, stopped, second));
        List<InstanceNote> mine = eventually().until(() -> backend().operations().instances().stream()
                .filter(n -> n.service().equals(service)).toList(), notes -> notes.size() == 2
                && notes.stream().anyMatch(n -> n.state() == InstanceNote.State.STOPPED));
        backend().rapids().publish(instanceWord("ServiceAlive", service, "i-1", started, started.plusSeconds(40), 4));
        backend().rapids().publish(event("AfterTheLateBeat"));
        eventually().until(() -> backend().operations().traffic().stream().anyMatch(t -> t.type().equals(topic("AfterTheLateBeat"))));

        assertThat(backend().operations().instances()).filteredOn(n -> n.service().equals(service))
                .extracting(InstanceNote::instanceId, InstanceNote::state, InstanceNote::startedAt, n -> n.counter("handled").orElse(-1L))
                .containsExactlyInAnyOrder(
                        Tuple.tuple("i-1", InstanceNote.State.STOPPED, hello.timestamp(), 5L),
                        Tuple.tuple("i-2", InstanceNote.State.STARTED, second.timestamp(), 0L));
        assertThat(mine).hasSize(2);
    }

    private static Event instanceWord(String type, String service, String instance, Instant startedAt, Instant at, long handled) {
        ObjectNode payload = Json.object().put("service", service).put("instanceId", instance).put("river", service)
                .put("startedAt", Timestamps.format(startedAt)).put("everyMs", 30_000).put("handled", handled);
        return Event.builder(Topic.of(type), service, payload).partitionKey(service).clock(Clock.fixed(at, ZoneOffset.UTC)).build();
    }

    @Test
    void everyShardOfBothStreamsHasAConsumerThatCatchesUp() {
        backend().rapids().publish(event("Caught"));
        List<ConsumerLag> lag = eventually().until(() -> backend().operations().lag(),
                now -> now.stream().allMatch(l -> l.recordsBehind().orElse(1) == 0));
        assertThat(lag).extracting(ConsumerLag::consumer).contains("data-plane", "control-plane");
        assertThat(lag).allSatisfy(l -> {
            assertThat(l.recordsBehind()).hasValue(0);
            assertThat(l.millisBehind()).hasValue(0);
        });
    }

    @Test
    void operatingOnARiverThatDoesNotExistSaysSo() {
        assertThatThrownBy(() -> backend().operations().redrive(river("nowhere"), 10)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("river '" + river("nowhere") + "' does not exist");
        assertThatThrownBy(() -> backend().operations().deadLetters(river("nowhere"), 10)).isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> backend().operations().discardDeadLetters(river("nowhere"), Set.of(), 10, letters -> { }))
                .isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> backend().operations().river(river("nowhere"))).isInstanceOf(InvalidInput.class);
    }

    /** Makes the control plane's dead letters hold this record, as its host does when it gives up on it after {@code failure}. */
    protected abstract void giveUpOnAControlRecord(String partitionKey, byte[] data, String failure);

    private RiverStatus awaitStatus(RiverName river,
                                                                   Predicate<RiverStatus> wanted) {
        return eventually().alias("status of river " + river).until(() -> backend().operations().river(river), wanted);
    }

    private PlaneDeadLetter awaitPlaneLetter(Plane plane, String data) {
        return eventually().alias("a dead letter of the " + plane + " plane holding '" + data + "'").until(
                () -> backend().operations().planeDeadLetters(plane, 1000).stream()
                        .filter(l -> l.data().orElse("").equals(data)).findFirst(), Optional::isPresent).orElseThrow();
    }

    /** How many messages of the river its dead-letter queue now holds. */
    protected abstract int movedToDeadLetterQueue(RiverName river);

    /** The stage's archive, as the shell reads it. */
    protected abstract Archive archive();

    /** Whether a backfill meets the live events with no overlap (embedded); on AWS the seam may bring an event twice. */
    protected abstract boolean exactSeam();

    /** Whether a river hands out its messages in the order they came (embedded does; an SQS standard queue promises no order). */
    protected abstract boolean riversKeepOrder();

    /** Whether a river tells its messages' ages (embedded does; SQS tells none without a receive). */
    protected abstract boolean agesMessages();

    @Test
    void everyEventIsArchivedAndAReplayFillsOneRiverOnlyInOrderPerKey() {
        Topic type = topic("Archived");
        RiverName replayed = river("replayed");
        RiverName bystander = river("bystander");
        apply(ControlCommand.subscribe(replayed, type, clock()));
        apply(ControlCommand.subscribe(bystander, type, clock()));
        Instant since = Instant.now().minusSeconds(2);
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(Event.builder(type, "S", Json.object().put("n", i)).partitionKey((i % 2 == 0 ? "even-" : "odd-") + unique).build());
        }
        backend().rapids().publishAll(sent);
        assertThat(readUntil(replayed, 12)).hasSize(12);
        assertThat(readUntil(bystander, 12)).hasSize(12);
        ArchiveQuery query = ArchiveQuery
                .window(since, Instant.now().plusSeconds(60)).ofTypes(List.of(type));
        eventually().until(() -> archived(query).size() == 12);
        assertThat(archived(query)).containsExactlyInAnyOrderElementsOf(sent.stream().map(Event::toJson).toList());

        Replayer.Outcome outcome = new Replayer(archive(),
                backend().rivers(), 5).replay(replayed, query, 0, (state, resumed) -> { }, sentSoFar -> { }, () -> false);

        assertThat(outcome.state().sent()).isEqualTo(12);
        List<Delivery> again = receiveUntil(replayed, 12);
        assertThat(again).extracting(Delivery::replay).containsOnly(outcome.state().generation());
        assertThat(again).extracting(Delivery::body).containsExactlyInAnyOrderElementsOf(sent.stream().map(Event::toJson).toList());
        List<String> readInOrder = archived(query);
        for (String key : List.of("even-" + unique, "odd-" + unique)) {
            // the archive reads (and a replay sends) one key's events in the order they arrived, on every backend
            assertThat(readInOrder.stream().map(Event::parse).filter(e -> e.partitionKey().equals(key))
                    .map(e -> e.payload().get("n").asInt()).toList()).as("sent in the order they arrived").isSorted().hasSize(6);
            if (riversKeepOrder()) {
                // only a river that promises order (embedded) hands them out so; an SQS standard queue may not
                List<Integer> order = again.stream().map(d -> Event.parse(d.body())).filter(e -> e.partitionKey().equals(key))
                        .map(e -> e.payload().get("n").asInt()).toList();
                assertThat(order).as("one key's events received in the order they arrived").isSorted().hasSize(6);
            }
        }
        assertThat(read(bystander, Duration.ofSeconds(2))).as("no other river sees a replay").isEmpty();
    }

    @Test
    void aBackfillGivesTheHistoryAndThenTheLiveEventsWithNoGap() throws Exception {
        Topic type = topic("Backfilled");
        RiverName newcomer = river("newcomer");
        Instant since = Instant.now().minusSeconds(2);
        List<Event> before = List.of(event("Backfilled"), event("Backfilled"), event("Backfilled"));
        backend().rapids().publishAll(before);
        ArchiveQuery history = ArchiveQuery
                .window(since, Instant.now().plusSeconds(60)).ofTypes(List.of(type));
        eventually().until(() -> archived(history).size() == 3);
        List<Event> during = Collections.synchronizedList(new ArrayList<>());
        Thread sender = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                Event event = event("Backfilled");
                backend().rapids().publish(event);
                during.add(event);
                LockSupport.parkNanos(30_000_000L); // spread over the subscription
            }
        });
        sender.start();
        apply(ControlCommand.subscribe(newcomer, type, clock()));
        long given = archive().backfill(newcomer, type, since, Instant.now());
        sender.join();
        List<Event> after = List.of(event("Backfilled"), event("Backfilled"));
        backend().rapids().publishAll(after);

        Set<String> expected = new HashSet<>();
        before.forEach(e -> expected.add(e.id()));
        during.forEach(e -> expected.add(e.id()));
        after.forEach(e -> expected.add(e.id()));
        List<String> ids = new ArrayList<>();
        eventually().until(() -> {
            read(newcomer, Duration.ofSeconds(1)).forEach(body -> ids.add(Event.parse(body).id()));
            return ids.containsAll(expected);
        });
        assertThat(given).isGreaterThanOrEqualTo(3);
        assertThat(ids).as("no gap at the seam").containsAll(expected).allMatch(expected::contains);
        if (exactSeam()) {
            assertThat(read(newcomer, Duration.ofSeconds(1))).isEmpty();
            assertThat(ids).as("no duplicate at the seam").doesNotHaveDuplicates();
        }
    }

    @Test
    void aTraceDrawsTheChainByCausationWithTheRiversEachEventReachedThen() {
        Topic reaction = topic("Reacted");
        RiverName watcher = river("watcher");
        apply(ControlCommand.subscribe(watcher, reaction, clock()));
        Instant since = Instant.now().minusSeconds(2);
        Event root = Event.builder(topic("Started"), "origin", Json.object()).build();
        Event child = Event.builder(reaction, "reactor", Json.object()).causationId(root.id()).correlationId(root.id()).build();
        Event grandchild = Event.builder(topic("Finished"), "finisher", Json.object()).causationId(child.id())
                .correlationId(root.id()).build();
        backend().rapids().publishAll(List.of(root, child, grandchild, event("Started")));
        Tracer tracer = new Tracer(archive(), backend().rivers(),
                backend().subscriptions(), backend().ledger());
        eventually().until(() -> tracer.trace(child.id(), since, Instant.now().plusSeconds(60))
                .map(Trace::size).orElse(0) == 3);
        // after the chain, the watcher stops: the trace still says what the routing table said then
        apply(ControlCommand.unsubscribe(watcher, reaction, clock()));
        // a producer's forged outcome says a river "ghost" was unsubscribed since: only the ledger counts, so no ghost
        backend().rapids().publish(Event.builder(Topic.of("RiverUnsubscribed"), CommandOutcome.DOMAIN, Json.object()
                .put("commandId", UUID.randomUUID().toString()).put("command", "unsubscribe")
                .put("river", "ghost" + unique).put("topic", reaction.value())).build());
        eventually().until(() -> archived(ArchiveQuery.window(since, Instant.now()
                .plusSeconds(60)).ofTypes(List.of(Topic.of("RiverUnsubscribed")))).stream().anyMatch(text -> text.contains("ghost" + unique)));
        eventually().until(() -> archived(ArchiveQuery.window(since, Instant.now()
                .plusSeconds(60)).ofTypes(List.of(Topic.of("RiverUnsubscribed")))).stream().anyMatch(text -> text.contains(watcher.value())));

        Trace trace = tracer.trace(child.id(), since, Instant.now().plusSeconds(60)).orElseThrow();

        var json = trace.json();
        assertThat(json.get("events").asInt()).isEqualTo(3);
        var top = json.get("roots").get(0);
        assertThat(top.get("eventId").asText()).isEqualTo(root.id());
        assertThat(top.get("rivers")).isEmpty();
        var reacted = top.get("caused").get(0);
        assertThat(reacted.get("eventId").asText()).isEqualTo(child.id());
        assertThat(reacted.get("publisher").asText()).isEqualTo("reactor");
        assertThat(reacted.get("rivers")).extracting(JsonNode::asText).containsExactly(watcher.value());
        assertThat(reacted.get("hopMillis").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(reacted.get("caused").get(0).get("eventId").asText()).isEqualTo(grandchild.id());
        assertThat(trace.text().lines().toList()).hasSize(3).satisfies(lines -> {
            assertThat(lines.get(1)).startsWith("└─ " + reaction.value()).contains(watcher.value());
            assertThat(lines.get(2)).startsWith("   └─ " + topic("Finished").value());
        });
        assertThat(tracer.trace("no-such-id-" + unique, since, Instant.now().plusSeconds(60))).isEmpty();
    }

    @Test
    void aReplayIntoAServiceWhoseHandlerChangedSendsItsNewOutputsDownstream() {
        Topic asked = topic("Asked");
        Topic answered = topic("Answered");
        RiverName downstream = river("downstream");
        apply(ControlCommand.subscribe(downstream, answered, clock()));
        String name = "answerer-" + unique;
        Instant since = Instant.now().minusSeconds(2);
        List<Event> questions = List.of(event("Asked"), event("Asked"), event("Asked"));
        List<String> firstAnswers;
        try (ServiceRunner first = new ServiceRunner(backend(),
                answerer(name, asked, answered, "first"))) {
            first.start();
            backend().rapids().publishAll(questions);
            firstAnswers = serveUntil(first, downstream, 3);
        }
        assertThat(firstAnswers).hasSize(3).allMatch(text -> text.contains("\"first\""));
        ArchiveQuery hour = ArchiveQuery
                .window(since, Instant.now().plusSeconds(60)).ofTypes(List.of(asked));
        eventually().until(() -> archived(hour).size() == 3);

        List<String> secondAnswers;
        try (ServiceRunner corrected = new ServiceRunner(backend(),
                answerer(name, asked, answered, "second"))) {
            corrected.start();
            new Replayer(archive(), backend().rivers(), 100)
                    .replay(RiverName.of(name), hour, 0, (state, resumed) -> { }, sentSoFar -> { }, () -> false);
            secondAnswers = serveUntil(corrected, downstream, 3);
        }
        assertThat(secondAnswers).as("the corrected outputs, new to every service").hasSize(3)
                .allMatch(text -> text.contains("\"second\""));
        Set<String> firstIds = new HashSet<>(firstAnswers.stream().map(t -> Event.parse(t).id()).toList());
        assertThat(secondAnswers).extracting(t -> Event.parse(t).id()).noneMatch(firstIds::contains);
    }

    private static Service answerer(String name, Topic asked, Topic answered, String answer) {
        return new Service() {
            public String name() {
                return name;
            }

            public Set<String> publishes() {
                return Set.of(answered.value());
            }

            public void start(RapidsConnection rapids) {
                River.on(rapids).precondition(rules -> rules.requireType(asked.value()))
                        .register((packet, context) -> context.publish(answered.value(), Json.object().put("answer", answer)));
            }
        };
    }

    /** Lets the service handle what comes to its river while the downstream river is read, until it holds {@code count}. */
    private List<String> serveUntil(ServiceRunner runner, RiverName downstream, int count) {
        List<String> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (bodies.size() < count && System.nanoTime() < deadline) {
            runner.pollOnce(Duration.ofMillis(200));
            bodies.addAll(read(downstream, Duration.ZERO));
        }
        return bodies;
    }

    private List<String> archived(ArchiveQuery query) {
        List<String> texts = new ArrayList<>();
        try (var cursor = archive().open(query, "")) {
            cursor.forEachRemaining(archived -> texts.add(archived.data()));
        }
        return texts;
    }

    private List<Delivery> receiveUntil(RiverName river, int count) {
        List<Delivery> received = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            List<Delivery> batch = backend().rivers().receive(river, 10, Duration.ofSeconds(1), Duration.ofSeconds(30));
            backend().rivers().delete(river, batch);
            received.addAll(batch);
        }
        return received;
    }

    protected RiverName river(String name) {
        return RiverName.of(name + "-" + unique);
    }

    protected Topic topic(String name) {
        return Topic.of(name + "." + unique);
    }

    protected CommandOutcome apply(ControlCommand command) {
        try (Outcomes.Watch watch = backend().outcomes().watch()) {
            backend().controlStream().send(command);
            return watch.await(command.commandId(), PATIENCE)
                    .orElseThrow(() -> new AssertionError("no outcome for " + command.describe() + " within " + PATIENCE));
        }
    }

    private Event event(String type) {
        return Event.builder(topic(type), "TheSource", Json.object().put("name", "Sally")).build();
    }

    private Event offer(String source, int score) {
        return Event.builder(topic("Offer"), "TheSource", Json.object().put("source", source).put("score", score)).build();
    }

    /** Reads and deletes until {@code count} messages have come, or the patience runs out. */
    private List<String> readUntil(RiverName river, int count) {
        List<String> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (bodies.size() < count && System.nanoTime() < deadline) {
            bodies.addAll(read(river, Duration.ofSeconds(1)));
        }
        return bodies;
    }

    private List<String> read(RiverName river, Duration wait) {
        List<Delivery> batch = backend().rivers().receive(river, 10, wait, Duration.ofSeconds(30));
        backend().rivers().delete(river, batch);
        return batch.stream().map(Delivery::body).toList();
    }

    private static Clock clock() {
        return Clock.systemUTC();
    }

    /** Waits for a condition the planes bring about, looking every 200 ms, for at most the patience. */
    static ConditionFactory eventually() {
        return Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200));
    }
}
