package org.rapidsrivers.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.time.ManualClock;

class EmbeddedRiversTest {
    private static final RiverName R1 = RiverName.of("r1");
    private static final Duration VISIBILITY = Duration.ofSeconds(30);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T11:00:00Z"));
    private EmbeddedBackend backend;
    private EmbeddedRivers rivers;

    @TempDir
    Path dataDir;

    @BeforeEach
    void open() {
        backend = EmbeddedBackend.open(EmbeddedBackend.Options.of(dataDir, Stage.DEFAULT).withClock(clock));
        rivers = backend.embeddedRivers();
        rivers.create(R1);
        backend.subscriptions().subscribe(R1, Topic.of("T"));
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void aProcessWhoseClockRunsAheadHidesNothingFromTheOthersAndStatusSaysWho() {
        route(2);
        ManualClock anHourAhead = new ManualClock(clock.instant().plus(Duration.ofHours(1)));
        try (EmbeddedBackend ahead = EmbeddedBackend.open(EmbeddedBackend.Options.of(dataDir, Stage.DEFAULT).withClock(anHourAhead))) {
            // it takes both, and by its clock hides them until an hour and a half from now
            assertThat(ahead.rivers().receive(R1, 10, Duration.ZERO, VISIBILITY)).hasSize(2);
            assertThat(ahead.rivers().receive(R1, 10, Duration.ZERO, VISIBILITY)).as("hidden by its own clock").isEmpty();

            List<Delivery> here = rivers.receive(R1, 10, Duration.ZERO, VISIBILITY);

            assertThat(here).as("stamped by a clock that runs ahead: visible now").hasSize(2)
                    .allSatisfy(d -> assertThat(d.receiveCount()).isEqualTo(2));
            var stamped = backend.operations().stampedAhead();
            assertThat(stamped).isEmpty();
        }
    }

    @Test
    void statusSaysWhichProcessStampedMessagesFromTheFuture() {
        route(3);
        ManualClock anHourAhead = new ManualClock(clock.instant().plus(Duration.ofHours(1)));
        System.setProperty("rr.process", "rr service ahead");
        try (EmbeddedBackend ahead = EmbeddedBackend.open(EmbeddedBackend.Options.of(dataDir, Stage.DEFAULT).withClock(anHourAhead))) {
            ahead.rivers().receive(R1, 10, Duration.ZERO, VISIBILITY);
        } finally {
            System.clearProperty("rr.process");
        }

        assertThat(backend.operations().stampedAhead()).singleElement().satisfies(stamp -> {
            assertThat(stamp.what()).isEqualTo("river r1");
            assertThat(stamp.count()).isEqualTo(3);
            assertThat(stamp.by()).isEqualTo("pid " + ProcessHandle.current().pid() + " (rr service ahead)");
            assertThat(stamp.ahead()).isEqualTo(Duration.ofHours(1));
        });
        assertThat(backend.operations().river(R1).visible()).as("counted as visible now").isEqualTo(3);
    }

    @Test
    void aReceivedMessageIsHiddenForTheVisibilityTimeoutThenComesBack() {
        route(3);
        List<Delivery> first = rivers.receive(R1, 10, Duration.ZERO, VISIBILITY);
        assertThat(first).hasSize(3).allSatisfy(d -> assertThat(d.receiveCount()).isEqualTo(1));

        assertThat(rivers.receive(R1, 10, Duration.ZERO, VISIBILITY)).isEmpty();
        clock.advance(VISIBILITY.minusMillis(1));
        assertThat(rivers.receive(R1, 10, Duration.ZERO, VISIBILITY)).isEmpty();
        clock.advance(Duration.ofMillis(1));

        List<Delivery> again = rivers.receive(R1, 10, Duration.ZERO, VISIBILITY);
        assertThat(again).extracting(Delivery::body).containsExactlyElementsOf(first.stream().map(Delivery::body).toList());
        assertThat(again).allSatisfy(d -> assertThat(d.receiveCount()).isEqualTo(2));
    }

    @Test
    void receivesAtMostMaxInTheOrderTheyArrived() {
        List<Event> sent = route(15);

        List<Delivery> batch = rivers.receive(R1, 10, Duration.ZERO, VISIBILITY);

        assertThat(batch).extracting(Delivery::body)
                .containsExactlyElementsOf(sent.subList(0, 10).stream().map(Event::toJson).toList());
    }

    @Test
    void aDeletedMessageIsGoneForGood() {
        route(2);
        List<Delivery> received = rivers.receive(R1, 10, Duration.ZERO, VISIBILITY);
        rivers.delete(R1, received.subList(0, 1));
        clock.advance(VISIBILITY);

        assertThat(rivers.receive(R1, 10, Duration.ZERO, VISIBILITY)).extracting(Delivery::body)
                .containsExactly(received.get(1).body());
    }

    @Test
    void aStaleReceiptDoesNotDeleteAMessageSomeoneElseReceivedSince() {
        route(1);
        List<Delivery> mine = rivers.receive(R1, 10, Duration.ZERO, VISIBILITY);
        clock.advance(VISIBILITY);
        List<Delivery> theirs = rivers.receive(R1, 10, Duration.ZERO, VISIBILITY);

        rivers.delete(R1, mine);

        assertThat(rivers.depth(R1, false)).isEqualTo(1);
        rivers.delete(R1, theirs);
        assertThat(rivers.depth(R1, false)).isZero();
    }

    @Test
    void afterFiveReceivesWithoutADeleteTheMessageMovesToTheDeadLetterQueue() {
        Event poison = route(1).get(0);
        for (int receive = 1; receive <= Rivers.MAX_RECEIVES; receive++) {
            assertThat(rivers.receive(R1, 10, Duration.ZERO, VISIBILITY)).singleElement()
                    .extracting(Delivery::receiveCount).isEqualTo(receive);
            clock.advance(VISIBILITY);
        }

        assertThat(rivers.receive(R1, 10, Duration.ZERO, VISIBILITY)).isEmpty();

        assertThat(rivers.depth(R1, false)).isZero();
        assertThat(rivers.depth(R1, true)).isEqualTo(1);
        assertThat(rivers.receiveDeadLetters(R1, 10, VISIBILITY)).singleElement()
                .extracting(Delivery::body).isEqualTo(poison.toJson());
    }

    @Test
    void whatIsWrittenTogetherCommitsTogetherOrNotAtAll() {
        Event kept = Event.builder(Topic.of("T"), "S", Json.object().put("n", 1)).build();
        Event undone = Event.builder(Topic.of("T"), "S", Json.object().put("n", 2)).build();
        Pond pond = backend.pond("svc");

        backend.together(() -> {
            backend.rapids().publish(kept);
            pond.put("seen/1", Json.object());
            return null;
        });
        Assertions.assertThatThrownBy(() -> backend.together(() -> {
            backend.rapids().publish(undone);
            pond.put("seen/2", Json.object());
            throw new IllegalStateException("the handler's mark could not be written");
        })).hasMessageContaining("could not be written");

        List<String> appended = new ArrayList<>();
        for (String shard : backend.streams().shardIds()) {
            backend.streams().read(backend.rapidsStream(), shard, 0, 100).forEach(r -> appended.add(Event.parse(r.text()).id()));
        }
        assertThat(appended).containsExactly(kept.id());
        assertThat(pond.get("seen/1")).isPresent();
        assertThat(pond.get("seen/2")).isEmpty();
    }

    @Test
    void aLongPollReturnsAsSoonAsAMessageArrives() throws Exception {
        java.util.concurrent.atomic.AtomicReference<List<Delivery>> received = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> received.set(rivers.receive(R1, 10, Duration.ofSeconds(20), VISIBILITY)));
        reader.start();
        // the message comes only once the receive is waiting (its thread parked on the river's bell), never before
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> reader.getState() == Thread.State.TIMED_WAITING);
        assertThat(received.get()).as("nothing to receive before the message").isNull();
        long routed = System.nanoTime();
        route(1);

        reader.join(Duration.ofSeconds(15).toMillis());

        assertThat(received.get()).as("answered, not timed out").hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - routed)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anEmptyLongPollWaitsForTheWholeWait() {
        long started = System.nanoTime();

        assertThat(rivers.receive(R1, 10, Duration.ofMillis(300), VISIBILITY)).isEmpty();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    private List<Event> route(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(Event.builder(Topic.of("T"), "S", Json.object().put("n", i)).build());
        }
        backend.rapids().publishAll(events);
        // the fan-out's routing, without the data plane: every record goes to the rivers of its type
        for (String shard : backend.streams().shardIds()) {
            List<StreamRecord> records = backend.streams().read(backend.rapidsStream(), shard, 0, 10_000);
            backend.router().route(records.stream().map(r -> new EventRecord(Event.parse(r.text()), r)).toList());
        }
        return events;
    }
}
