package org.rapidsrivers.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * A stage made by the rr before this one (schema 1: leases judged by an expiry time, here one left by
 * a process killed while its clock ran an hour ahead) opens with its rivers, subscriptions, catalog and
 * unread messages as they were, and its planes are taken over within one lease time-to-live.
 */
class OldDataDirectoryTest {
    private static final Stage OLD = Stage.of("old");
    private static final RiverName ORDERS = RiverName.of("orders");

    @TempDir
    Path dataDir;

    @Test
    void aStageOfTheFirstSchemaKeepsItsRiversAndMessagesAndItsPlanesAreTakenOver() throws IOException {
        try (InputStream made = getClass().getResourceAsStream("/schema-v1/old.db")) {
            Files.copy(made, dataDir.resolve("old.db"));
        }

        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, OLD)) {
            assertThat(backend.rivers().names()).containsExactly(ORDERS);
            assertThat(backend.subscriptions().topicsOf(ORDERS)).extracting(Topic::value)
                    .containsExactly("OrderPlaced", "OrderShipped");
            assertThat(backend.catalog().topics()).extracting(Topic::value).contains("OrderPlaced");

            long started = System.nanoTime();
            try (PlaneHost planes = PlaneHost.start(backend)) {
                ControlCommand subscribe = ControlCommand.subscribe(ORDERS, Topic.of("OrderCancelled"), Clock.systemUTC());
                try (Outcomes.Watch watch = backend.outcomes().watch()) {
                    backend.controlStream().send(subscribe);
                    assertThat(watch.await(subscribe.commandId(), Duration.ofSeconds(30))).isPresent();
                }
                List<Delivery> unread = backend.rivers().receive(ORDERS, 10, Duration.ZERO, Duration.ofSeconds(30));
                assertThat(unread).extracting(d -> Event.parse(d.body()).payload().path("n").asInt()).containsExactly(1, 2, 3);
                assertThat(unread.get(0).receiveCount()).as("the receive count survived").isEqualTo(2);

                // routing needs the fan-out's lease, which a process killed an hour ahead of time left behind
                Event cancelled = Event.builder(Topic.of("OrderCancelled"), "shop", "{}").build();
                backend.rapids().publish(cancelled);
                assertThat(backend.rivers().receive(ORDERS, 10, Duration.ofSeconds(30), Duration.ofSeconds(30)))
                        .extracting(Delivery::body).containsExactly(cancelled.toJson());
            }
            Duration tookOver = Duration.ofNanos(System.nanoTime() - started);
            assertThat(tookOver).as("the lease left behind is taken over once it was silent for one time-to-live,"
                    + " not before, and not an hour later").isGreaterThanOrEqualTo(HostSettings.embedded().leaseTtl());
        }
    }
}
