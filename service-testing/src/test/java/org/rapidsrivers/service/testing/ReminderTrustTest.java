package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.embedded.EmbeddedBackend;
import org.rapidsrivers.hosts.PlaneHost;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceRunner;
import org.rapidsrivers.service.ServiceSettings;

/**
 * A reminder is something the rapids cannot carry (issue 27's high finding): only a message its river marked is
 * read as one, only the service's own, each once, and none due past the horizon. On a real embedded stage with
 * its planes hosted.
 */
class ReminderTrustTest {
    private static final RiverName RIVER = RiverName.of("alarm-clock");

    @TempDir
    Path dataDir;

    private EmbeddedBackend backend;
    private PlaneHost planes;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> rang = new CopyOnWriteArrayList<>();
    private volatile Duration setFor = Duration.ZERO;

    /** On an Arrival it sets a reminder for {@link #setFor}; when the reminder comes, it rings. */
    private final Service alarmClock = new Service() {
        @Override
        public String name() {
            return RIVER.value();
        }

        @Override
        public Set<String> publishes() {
            return Set.of("Rang");
        }

        @Override
        public void start(RapidsConnection rapids) {
            River.on(rapids).precondition(r -> r.requireType("Arrival")).register((packet, context) ->
                    rapids.remind(rapids.clock().instant().plus(setFor), packet.event(), "wake", packet.id()));
            rapids.onReminder("wake", (key, context) -> {
                rang.add(key);
                context.publish("Rang", Json.object().put("key", key));
            });
        }
    };

    @BeforeEach
    void aStage() {
        backend = EmbeddedBackend.open(dataDir, Stage.of("trust"));
        planes = PlaneHost.start(backend);
    }

    @AfterEach
    void close() {
        planes.close();
        backend.close();
    }

    @Test
    void aReminderForgedOnTheRapidsIsDeadLetteredByTheFanOutAndFiresNothing() {
        ServiceRunner runner = runner();
        runner.start();
        Event cause = arrival();
        String forged = "{\"rrReminder\":{\"service\":\"alarm-clock\",\"kind\":\"wake\",\"key\":\"forged\",\"due\":\"2000-01-01T00:00:00Z\"},"
                + "\"cause\":" + Json.compact(Json.mapper().getNodeFactory().textNode(cause.toJson())) + ",\"eventType\":\"Arrival\","
                + "\"eventDomain\":\"x\",\"eventId\":\"" + UUID.randomUUID() + "\",\"timestamp\":\"2026-12-07T08:00:00.000Z\","
                + "\"payload\":{}}";
        backend.appendRaw(backend.stage().rapidsStream(), "k", forged.getBytes(StandardCharsets.UTF_8));
        Event after = arrival();
        backend.rapids().publish(after);

        // the genuine arrival behind it on the rapids reaches the river and rings; the forged one never arrives
        pollUntil(runner, () -> rang.contains(after.id()));
        assertThat(rang).containsExactly(after.id());
        assertThat(backend.fanOutDeadLetters().list()).singleElement().satisfies(dead -> {
            assertThat(dead.text()).isEqualTo(forged);
            assertThat(dead.reason()).isEqualTo("invalid event: the field rrReminder is reserved for a service's own"
                    + " messages in its river and cannot come from the rapids");
        });
    }

    @Test
    void aBodyThatLooksLikeAReminderButIsNotMarkedIsNeverOne() {
        ServiceRunner runner = runner();
        runner.start();
        String body = reminderText("alarm-clock", Instant.parse("2000-01-01T00:00:00Z"));

        assertThat(runner.handleBatch(List.of(new Delivery("r-1", body, 1, 0, false)))).isEmpty();

        assertThat(rang).isEmpty();
        assertThat(log).anySatisfy(line -> assertThat(line).contains("failed, left for redelivery (receive 1 of 5): cannot be handled: invalid event:"));
    }

    @Test
    void aMarkedReminderOfAnotherServiceIsRefused() {
        ServiceRunner runner = runner();
        runner.start();

        assertThat(runner.handleBatch(List.of(new Delivery("r-1", reminderText("offer-engine", Instant.now()), 1, 0, true))))
                .isEmpty();

        assertThat(rang).isEmpty();
        assertThat(log).anySatisfy(line -> assertThat(line).contains("a reminder of service 'offer-engine' is in the river of"
                + " service alarm-clock: refused"));
    }

    @Test
    void aReminderDeliveredTwiceIsHandledOnce() {
        ServiceRunner runner = runner();
        runner.start();
        Event cause = arrival();
        backend.rapids().publish(cause);
        List<Delivery> reminders = new ArrayList<>();
        // the arrival sets its reminder; keep a copy of the reminder as it was received, then let it be handled
        pollUntil(runner, () -> {
            List<Delivery> got = backend.rivers().receive(RIVER, 10, Duration.ofMillis(100), Duration.ZERO);
            got.stream().filter(Delivery::reminder).forEach(reminders::add);
            backend.rivers().changeVisibility(RIVER, got, Duration.ZERO);
            return !reminders.isEmpty();
        });
        pollUntil(runner, () -> rang.size() == 1);
        long duplicatesBefore = runner.stats().duplicates();

        Delivery again = reminders.get(0);
        assertThat(runner.handleBatch(List.of(again))).containsExactly(again);

        assertThat(rang).containsExactly(cause.id());
        assertThat(runner.stats().duplicates()).isEqualTo(duplicatesBefore + 1);
    }

    @Test
    void aReminderPastTheHorizonIsRefusedWhenSetAndWhenRead() {
        ServiceRunner runner = runner();
        runner.start();
        setFor = Duration.ofHours(25);
        backend.rapids().publish(arrival());
        pollUntil(runner, () -> runner.stats().failed() == 1);
        assertThat(log).anySatisfy(line -> assertThat(line).contains("more than 24 h ahead: the longest a reminder may wait is 24 h"));

        Delivery farAhead = new Delivery("r-9", reminderText("alarm-clock", Instant.now().plus(Duration.ofDays(2))), 1, 0, true);
        assertThat(runner.handleBatch(List.of(farAhead))).isEmpty();
        assertThat(log).anySatisfy(line -> assertThat(line).contains("more than 24 h ahead: refused, not put back for ever"));
        assertThat(backend.rivers().depth(RIVER)).as("nothing put back").isZero();
        assertThat(rang).isEmpty();
    }

    @Test
    void settingAReminderFurtherAheadThanTheHorizonIsOneLine() {
        assertThatThrownBy(() -> {
            ServiceRunner runner = runner();
            runner.start();
            runner.remind(Instant.now().plus(Duration.ofDays(3)), arrival(), "wake", "k");
        }).hasMessageEndingWith("the longest a reminder may wait is 24 h").hasMessageNotContaining("\n");
    }

    private String reminderText(String service, Instant due) {
        return "{\"rrReminder\":{\"id\":\"" + UUID.randomUUID() + "\",\"service\":\"" + service
                + "\",\"kind\":\"wake\",\"key\":\"k\",\"due\":\"" + due + "\"},\"cause\":"
                + Json.compact(Json.mapper().getNodeFactory().textNode(arrival().toJson())) + "}";
    }

    private ServiceRunner runner() {
        return new ServiceRunner(backend, alarmClock, ServiceSettings.builder().log(log::add)
                .visibility(Duration.ofSeconds(1)).build());
    }

    private static Event arrival() {
        return Event.builder(Topic.of("Arrival"), "door", Json.object().put("name", "Sally")).build();
    }

    private void pollUntil(ServiceRunner runner, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            runner.pollOnce(Duration.ofMillis(200));
        }
        assertThat(done.getAsBoolean()).as("reached within 20 s; log: %s", log).isTrue();
    }
}
