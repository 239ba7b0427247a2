package org.rapidsrivers.hosts;

import org.rapidsrivers.embedded.EmbeddedBackend;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

/** Real processes, each with its own connection and its own hosts, on one data directory. */
class TwoProcessesTest {
    private static final int EVENTS_PER_PROCESS = 400;

    @TempDir
    Path dataDir;

    @Test
    void processesOnOneDataDirectorySeeOneSystemAndNoRecordIsProcessedTwice() throws Exception {
        RiverName watcher = RiverName.of("watcher");
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT);
                 PlaneHost planes = PlaneHost.start(backend)) {
            ControlCommand subscribe = ControlCommand.subscribe(watcher, Topic.of("Tick"), Clock.systemUTC());
            try (Outcomes.Watch watch = backend.outcomes().watch()) {
                backend.controlStream().send(subscribe);
                assertThat(watch.await(subscribe.commandId(), Duration.ofSeconds(10))).isPresent();
            }

            Process one = start("one");
            Process two = start("two");
            for (int i = 0; i < EVENTS_PER_PROCESS; i++) {
                backend.rapids().publish(Event.builder(Topic.of("Tick"), "parent", Json.object().put("n", i)).build());
            }
            assertThat(one.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(two.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(one.exitValue()).isZero();
            assertThat(two.exitValue()).isZero();

            assertThat(backend.rivers().names()).containsExactly(RiverName.of("one"), RiverName.of("two"), watcher);
            List<String> received = readDry(backend, watcher, 3 * EVENTS_PER_PROCESS);
            Set<String> ids = new HashSet<>();
            received.forEach(body -> ids.add(Event.parse(body).id()));
            assertThat(received).hasSize(3 * EVENTS_PER_PROCESS);
            assertThat(ids).hasSize(3 * EVENTS_PER_PROCESS);
        }
    }

    private Process start(String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SecondProcess.class.getName(),
                dataDir.toString(), name, Integer.toString(EVENTS_PER_PROCESS))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static List<String> readDry(EmbeddedBackend backend, RiverName river, int expected) {
        List<String> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Delivery> batch = backend.rivers().receive(river, 10, Duration.ofMillis(500), Duration.ofSeconds(30));
            if (batch.isEmpty() && bodies.size() >= expected) {
                break;
            }
            batch.forEach(d -> bodies.add(d.body()));
            backend.rivers().delete(river, batch);
        }
        return bodies;
    }
}
