package org.rapidsrivers.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.embedded.EmbeddedBackend;

class EmbeddedBackendTest {
    private static final RiverName R1 = RiverName.of("r1");
    private static final Topic VIEW_PAGE = Topic.of("ViewPage");

    @TempDir
    Path dataDir;

    @Test
    void theOriginalSessionWorksEndToEnd() {
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT);
                 PlaneHost planes = PlaneHost.start(backend)) {
            assertThat(apply(backend, ControlCommand.advertise(VIEW_PAGE, Clock.systemUTC()))).isTrue();
            assertThat(backend.catalog().topics()).containsExactly(VIEW_PAGE);
            assertThat(apply(backend, ControlCommand.subscribe(R1, VIEW_PAGE, Clock.systemUTC()))).isTrue();
            assertThat(backend.rivers().receive(R1, 10, Duration.ZERO, Duration.ofSeconds(30))).isEmpty();

            Event sally = event();
            backend.rapids().publish(sally);
            List<Delivery> received = backend.rivers().receive(R1, 10, Duration.ofSeconds(5), Duration.ofSeconds(30));

            assertThat(received).extracting(Delivery::body).containsExactly(sally.toJson());
            backend.rivers().delete(R1, received);
            assertThat(backend.subscriptions().topicsOf(R1)).containsExactly(VIEW_PAGE);
            assertThat(apply(backend, ControlCommand.unsubscribe(R1, VIEW_PAGE, Clock.systemUTC()))).isTrue();
            assertThat(backend.subscriptions().topicsOf(R1)).isEmpty();
            assertThat(backend.rivers().exists(R1)).isTrue();
        }
    }

    @Test
    void everythingSurvivesClosingAndReopening() {
        Event sally = event();
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT);
                 PlaneHost planes = PlaneHost.start(backend)) {
            apply(backend, ControlCommand.advertise(VIEW_PAGE, Clock.systemUTC()));
            apply(backend, ControlCommand.subscribe(R1, VIEW_PAGE, Clock.systemUTC()));
            backend.rapids().publish(sally);
        }
        try (EmbeddedBackend reopened = EmbeddedBackend.open(dataDir, Stage.DEFAULT)) {
            assertThat(reopened.catalog().topics()).containsExactly(VIEW_PAGE);
            assertThat(reopened.rivers().names()).containsExactly(R1);
            assertThat(reopened.subscriptions().topicsOf(R1)).containsExactly(VIEW_PAGE);
            assertThat(reopened.rivers().receive(R1, 10, Duration.ZERO, Duration.ofSeconds(30)))
                    .extracting(Delivery::body).containsExactly(sally.toJson());
        }
    }

    @Test
    void closingFinishesWhatIsWaitingOnTheStreamsItHosts() {
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT)) {
            EmbeddedPlaneHosts.controlHost(backend).pollOnce();
            backend.rivers().create(R1);
            backend.subscriptions().subscribe(R1, VIEW_PAGE);
        }
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT);
                 PlaneHost planes = PlaneHost.start(backend)) {
            backend.rapids().publishAll(List.of(event(), event(), event()));
        }
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT)) {
            assertThat(backend.messagesHeld(R1)).isEqualTo(3);
        }
    }

    @Test
    void stagesAreKeptApart() {
        try (EmbeddedBackend dev = EmbeddedBackend.open(dataDir, Stage.of("dev"));
             EmbeddedBackend prod = EmbeddedBackend.open(dataDir, Stage.of("prod"))) {
            dev.catalog().advertise(VIEW_PAGE);
            assertThat(prod.catalog().topics()).isEmpty();
            assertThat(prod.databaseFile().getFileName().toString()).isEqualTo("prod.db");
        }
    }

    @Test
    void readingARiverThatDoesNotExistSaysSo() {
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT)) {
            assertThatThrownBy(() -> backend.rivers().receive(RiverName.of("nope"), 10, Duration.ZERO, Duration.ofSeconds(30)))
                    .isInstanceOf(InvalidInput.class)
                    .hasMessage("river 'nope' does not exist (subscribe it to a topic to create it)");
        }
    }

    @Test
    void aRejectedCommandComesBackWithItsReason() {
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT);
                 PlaneHost planes = PlaneHost.start(backend)) {
            ControlCommand command = ControlCommand.unsubscribe(RiverName.of("ghost"), VIEW_PAGE, Clock.systemUTC());
            try (Outcomes.Watch watch = backend.outcomes().watch()) {
                backend.controlStream().send(command);
                Optional<CommandOutcome> outcome = watch.await(command.commandId(), Duration.ofSeconds(5));
                assertThat(outcome).hasValueSatisfying(o -> {
                    assertThat(o.applied()).isFalse();
                    assertThat(o.reason()).isEqualTo("river 'ghost' does not exist");
                });
            }
        }
    }

    @Test
    void aRecordTheFanOutCanNeverRouteGoesToTheDeadLettersAndTheRestFlow() {
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT)) {
            backend.rivers().create(R1);
            backend.subscriptions().subscribe(R1, VIEW_PAGE);
            String sameShard = "same-key";
            Event before = Event.builder(VIEW_PAGE, "S", Json.object()).partitionKey(sameShard).build();
            Event after = Event.builder(VIEW_PAGE, "S", Json.object()).partitionKey(sameShard).build();
            for (String record : List.of(before.toJson(), "{\"no\":\"eventType\"}", after.toJson())) {
                backend.appendRaw(Stage.DEFAULT.rapidsStream(), sameShard, record.getBytes(StandardCharsets.UTF_8));
            }

            EmbeddedPlaneHosts.fanOutHost(backend).pollOnce();

            assertThat(backend.rivers().receive(R1, 10, Duration.ZERO, Duration.ofSeconds(30)))
                    .extracting(Delivery::body).containsExactly(before.toJson(), after.toJson());
            assertThat(backend.fanOutDeadLetters().list()).singleElement().satisfies(dead -> {
                assertThat(dead.text()).isEqualTo("{\"no\":\"eventType\"}");
                assertThat(dead.reason()).isEqualTo("invalid event: eventId is missing");
            });
        }
    }

    @Test
    void aTooLargeEventIsRefusedBeforeAnythingIsPublished() {
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT)) {
            Event small = event();
            Event big = Event.builder(VIEW_PAGE, "S", Json.object().put("blob", "x".repeat(Event.MAX_BYTES))).build();

            assertThatThrownBy(() -> backend.rapids().publishAll(List.of(small, big)))
                    .isInstanceOf(InvalidInput.class).hasMessageStartingWith("event is too large");
            assertThat(backend.latestSequence(Stage.DEFAULT.rapidsStream())).isZero();
        }
    }

    private static boolean apply(EmbeddedBackend backend, ControlCommand command) {
        try (Outcomes.Watch watch = backend.outcomes().watch()) {
            backend.controlStream().send(command);
            return watch.await(command.commandId(), Duration.ofSeconds(10)).orElseThrow().applied();
        }
    }

    private static Event event() {
        return Event.builder(VIEW_PAGE, "TheSource", Json.object().put("name", "Sally")).build();
    }
}
