package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.StageOptions;
import org.rapidsrivers.core.stage.Stages;
import org.rapidsrivers.hosts.PlaneHost;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceRunner;
import org.rapidsrivers.service.ServiceSettings;

/**
 * The runner on a real embedded stage, its planes hosted: start-up through the control plane, delete
 * after success, redelivery after a throwing handler, duplicates skipped, what it publishes on the rapids.
 */
class ServiceRunnerTest {
    @TempDir
    Path dataDir;

    private Backend backend;
    private PlaneHost planes;
    private final List<String> log = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<String> handled = new ArrayList<>();

    private final Service greeter = new Service() {
        @Override
        public String name() {
            return "greeter";
        }

        @Override
        public Set<String> publishes() {
            return Set.of("Greeting");
        }

        @Override
        public void start(RapidsConnection rapids) {
            River.on(rapids).precondition(r -> r.requireType("Arrival")).validate(r -> r.requireKey("name"))
                    .register((packet, context) -> {
                        if (failuresLeft.getAndDecrement() > 0) {
                            throw new IllegalStateException("the greeting desk is closed");
                        }
                        handled.add(packet.text("name"));
                        context.publish("Greeting", Json.object().put("to", packet.text("name")));
                    });
        }
    };

    @BeforeEach
    void aStage() {
        backend = Stages.open(StageOptions.embedded(dataDir, Stage.of("svc")));
        planes = PlaneHost.start(backend);
    }

    @AfterEach
    void close() {
        planes.close();
        backend.close();
    }

    @Test
    void startingSubscribesTheRiverAdvertisesAndAnnouncesTheService() {
        RiverName started = watch(ServiceRunner.STARTED);
        ServiceRunner runner = runner();
        runner.start();

        assertThat(backend.subscriptions().topicsOf(RiverName.of("greeter"))).extracting(Topic::value)
                .containsExactly("Arrival");
        assertThat(backend.catalog().topics()).extracting(Topic::value).contains("Greeting", ServiceRunner.STARTED,
                ServiceRunner.STOPPED);
        assertThat(Json.compact(readAll(started, 1).get(0).payload())).isEqualTo("{\"service\":\"greeter\",\"instanceId\":\""
                + runner.instanceId() + "\",\"river\":\"greeter\",\"everyMs\":30000,\"consumes\":[\"Arrival\"],"
                + "\"publishes\":[\"Greeting\"]}");
    }

    @Test
    void stoppingSaysSoWithWhatThisInstanceHandledSinceItsOwnStart() {
        RiverName stopped = watch(ServiceRunner.STOPPED);
        ServiceRunner runner = runner();
        runner.start();
        backend.rapids().publish(arrival("Sally"));
        pollUntil(runner, () -> handled.size() == 1);

        runner.close();
        runner.close();

        List<Event> said = readAll(stopped, 1);
        assertThat(said).singleElement().satisfies(event -> {
            assertThat(event.payload().get("instanceId").asText()).isEqualTo(runner.instanceId());
            assertThat(event.payload().get("handled").asLong()).isEqualTo(1);
            assertThat(event.payload().get("startedAt").asText()).isNotEmpty();
        });
    }

    @Test
    void aMessageIsDeletedOnlyAfterItsHandlerSucceededAndWhatItPublishedIsOnTheRapids() {
        RiverName greetings = watch("Greeting");
        ServiceRunner runner = runner();
        runner.start();
        Event arrival = arrival("Sally");
        backend.rapids().publish(arrival);

        pollUntil(runner, () -> handled.size() == 1);

        assertThat(backend.rivers().depth(RiverName.of("greeter"))).isZero();
        Event greeting = readAll(greetings, 1).get(0);
        assertThat(greeting.causationId()).contains(arrival.id());
        assertThat(runner.stats().handled()).isEqualTo(1);
    }

    @Test
    void aThrowingHandlerLeavesTheMessageForRedeliveryAndPublishesNothing() {
        ServiceRunner runner = runner();
        runner.start();
        failuresLeft.set(1);
        backend.rapids().publish(arrival("Sally"));

        pollUntil(runner, () -> runner.stats().failed() == 1);
        assertThat(handled).isEmpty();
        assertThat(log).anySatisfy(line -> assertThat(line).startsWith("handling event ")
                .contains("failed, left for redelivery (receive 1 of 5): java.lang.IllegalStateException: the greeting desk is closed"));

        // the message comes back after its visibility timeout and is handled then
        pollUntil(runner, () -> handled.size() == 1);
        assertThat(handled).containsExactly("Sally");
        assertThat(backend.rivers().depth(RiverName.of("greeter"))).isZero();
        assertThat(runner.stats()).isEqualTo(new ServiceRunner.Stats(1, 0, 1, 0));
    }

    @Test
    void anEventDeliveredTwiceIsHandledOnce() {
        ServiceRunner runner = runner();
        runner.start();
        Event arrival = arrival("Sally");
        backend.rapids().publish(arrival);
        pollUntil(runner, () -> handled.size() == 1);

        backend.rapids().publish(arrival);
        pollUntil(runner, () -> runner.stats().duplicates() == 1);

        assertThat(handled).containsExactly("Sally");
        assertThat(backend.rivers().depth(RiverName.of("greeter"))).isZero();
    }

    @Test
    void aRunningServiceSaysItIsAliveEveryBeatWithItsRiversCounters() {
        RiverName alive = watch(ServiceRunner.ALIVE);
        ServiceRunner runner = new ServiceRunner(backend, greeter, ServiceSettings.builder().log(log::add)
                .visibility(Duration.ofSeconds(1)).heartbeat(Duration.ofSeconds(1)).build());
        runner.start();
        backend.rapids().publish(arrival("Sally"));
        pollUntil(runner, () -> handled.size() == 1);

        // a beat after the handling says it: read until one counts it
        List<Event> beats = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (beats.stream().noneMatch(b -> b.payload().path("handled").asLong() == 1) && System.nanoTime() < deadline) {
            beats.addAll(readAll(alive, 1));
        }
        Event beat = beats.get(beats.size() - 1);
        assertThat(beat.domain()).isEqualTo("greeter");
        assertThat(beat.payload().path("instanceId").asText()).isEqualTo(runner.instanceId());
        assertThat(beat.payload().path("everyMs").asLong()).isEqualTo(1000);
        assertThat(beat.payload().path("handled").asLong()).isEqualTo(1);
        assertThat(beat.payload().path("failed").asLong()).isZero();
        assertThat(backend.catalog().topics()).extracting(Topic::value).contains(ServiceRunner.ALIVE);
        runner.stop();
    }

    @Test
    void aHeartbeatShorterThanASecondIsRefusedInOneLine() {
        Assertions.assertThatThrownBy(() -> ServiceSettings.builder()
                        .heartbeat(Duration.ofMillis(500)).build())
                .hasMessage("a heartbeat must be 1s or more, or 0 for none; got 500 ms");
    }

    private ServiceRunner runner() {
        return new ServiceRunner(backend, greeter, ServiceSettings.builder().log(log::add)
                .visibility(Duration.ofSeconds(1)).build());
    }

    private static Event arrival(String name) {
        return Event.builder(Topic.of("Arrival"), "door", Json.object().put("name", name)).build();
    }

    private void pollUntil(ServiceRunner runner, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            runner.pollOnce(Duration.ofMillis(200));
        }
        assertThat(done.getAsBoolean()).as("reached within 20 s; log: %s", log).isTrue();
    }

    /** A river of the test's own on one event type, subscribed through the control plane before anything happens. */
    private RiverName watch(String type) {
        RiverName watcher = RiverName.of("watch-" + type.toLowerCase());
        ControlCommand subscribe = ControlCommand.subscribe(watcher, Topic.of(type), Clock.systemUTC());
        try (Outcomes.Watch outcome = backend.outcomes().watch()) {
            backend.controlStream().send(subscribe);
            assertThat(outcome.await(subscribe.commandId(), Duration.ofSeconds(10))).isPresent();
        }
        return watcher;
    }

    private List<Event> readAll(RiverName watcher, int count) {
        List<Event> found = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (found.size() < count && System.nanoTime() < deadline) {
            List<Delivery> batch = backend.rivers().receive(watcher, 10, Duration.ofMillis(500), Duration.ofSeconds(30));
            batch.forEach(d -> found.add(Event.parse(d.body())));
            backend.rivers().delete(watcher, batch);
        }
        return found;
    }
}
