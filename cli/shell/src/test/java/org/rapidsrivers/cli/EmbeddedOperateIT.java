package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.embedded.EmbeddedBackend;
import org.rapidsrivers.hosts.PlaneHost;

/** The operator's commands on the embedded backend, and a redrive killed with SIGKILL over and over. */
class EmbeddedOperateIT extends OperateScenario {
    private static final Stage STAGE = Stage.of("ops");

    @Override
    RrProcess.Result rr(String... args) {
        List<String> all = new ArrayList<>(options());
        all.addAll(List.of(args));
        return RrProcess.run(workDir, null, all.toArray(String[]::new));
    }

    @Override
    RrProcess.Result script(String lines) {
        return RrProcess.run(workDir, lines, options().toArray(String[]::new));
    }

    @Override
    List<String> options() {
        return List.of("--stage", STAGE.value());
    }

    @Override
    EmbeddedBackend backend() {
        return EmbeddedBackend.open(workDir.resolve(".rapids"), STAGE);
    }

    @Override
    void putRawOnRapids(String partitionKey, byte[] data) {
        try (EmbeddedBackend backend = backend()) {
            backend.appendRaw(STAGE.rapidsStream(), partitionKey, data);
        }
    }

    @Override
    void giveUpOnAControlRecord(String partitionKey, byte[] data) {
        try (EmbeddedBackend backend = backend()) {
            backend.controlDeadLetters().bury(new StreamRecord("shardId-000000000000", "0", partitionKey, data, Instant.now()),
                    "RetryAttemptsExhausted after 4 invocations (the test)");
        }
    }

    @Test
    void aRedriveKilledAnywhereAndRunAgainPutsEveryMessageBackExactlyOnce() throws Exception {
        RiverName big = RiverName.of("big");
        ok(rr("subscribe", "big", "Bulk"));
        List<String> ids = new ArrayList<>();
        try (EmbeddedBackend backend = backend()) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                Event event = Event.builder(Topic.of("Bulk"), "bulk", Json.object().put("n", i)).build();
                events.add(event);
                ids.add(event.id());
            }
            for (int from = 0; from < events.size(); from += 500) {
                backend.rapids().publishAll(events.subList(from, from + 500));
            }
        }
        try (EmbeddedBackend backend = backend(); var planes = PlaneHost.start(backend)) {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> backend.messagesHeld(big) >= ids.size());
            assertThat(backend.messagesHeld(big)).isEqualTo(ids.size());
            // five receives without a delete, and the sixth moves them all to big-dlq
            for (int round = 0; round < 6 || backend.deadLetterDepth(big) < ids.size(); round++) {
                assertThat(round).as("rounds of receives to dead-letter them all").isLessThan(20);
                backend.rivers().receive(big, ids.size(), Duration.ZERO, Duration.ZERO);
            }
        }

        // killed as soon as it has moved something, five times over; then let run to the end
        int kills = 0;
        List<String> command = new ArrayList<>(List.of(RrProcess.launcher().toString()));
        command.addAll(options());
        command.addAll(List.of("redrive", "big"));
        while (true) {
            int before;
            try (EmbeddedBackend backend = backend()) {
                before = backend.deadLetterDepth(big);
                assertThat(before + backend.messagesHeld(big)).as("every message in exactly one place").isEqualTo(ids.size());
            }
            if (before == 0) {
                break;
            }
            Process redrive = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            if (kills < 5) {
                try (EmbeddedBackend backend = backend()) {
                    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(2))
                            .until(() -> !redrive.isAlive() || backend.deadLetterDepth(big) != before);
                    if (redrive.isAlive() && backend.deadLetterDepth(big) > 0) {
                        new ProcessBuilder("kill", "-9", Long.toString(redrive.pid())).start().waitFor();
                        kills++;
                    }
                }
            }
            assertThat(redrive.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }

        try (Backend backend = backend()) {
            List<Delivery> back = drain(backend, big);
            Map<String, Integer> counts = counted(back.stream().map(d -> Event.parse(d.body()).id()).toList());
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(counts.values()).allMatch(n -> n == 1);
        }
        // up to five runs are killed as soon as they have moved something; on a busy machine a run may
        // finish before it is seen to move, so at least one must have been killed in the middle
        assertThat(kills).as("runs killed in the middle").isBetween(1, 5);
    }
}
