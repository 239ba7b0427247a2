package org.rapidsrivers.hosts;

import org.rapidsrivers.embedded.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Outcomes;

/**
 * Understands how to be another rr process on the same data directory, for tests: it subscribes a
 * river, hosts the planes while it publishes events, and exits.
 */
public final class SecondProcess {
    private SecondProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String name = args[1];
        int events = Integer.parseInt(args[2]);
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT);
                 PlaneHost planes = PlaneHost.start(backend)) {
            ControlCommand subscribe = ControlCommand.subscribe(RiverName.of(name), Topic.of("Tick"), Clock.systemUTC());
            try (Outcomes.Watch watch = backend.outcomes().watch()) {
                backend.controlStream().send(subscribe);
                if (watch.await(subscribe.commandId(), Duration.ofSeconds(30)).isEmpty()) {
                    System.exit(3);
                }
            }
            for (int i = 0; i < events; i++) {
                backend.rapids().publish(Event.builder(Topic.of("Tick"), name, Json.object().put("n", i)).build());
                if (i % 50 == 0) {
                    Thread.sleep(5);
                }
            }
        }
    }
}
