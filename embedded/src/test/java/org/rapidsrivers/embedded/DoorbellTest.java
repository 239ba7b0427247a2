package org.rapidsrivers.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.ports.Delivery;

/** The bells: one per stream and river, rung by this process's writes, and by other processes' commits through the watcher. */
class DoorbellTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    @Test
    void anotherProcessesCommitRingsEveryBell() throws InterruptedException {
        AtomicLong version = new AtomicLong();
        try (Doorbell doorbell = new Doorbell(version::get)) {
            Doorbell.Bell river = doorbell.river("r1");
            Doorbell.Bell stream = doorbell.stream("Rapids");
            long riverSeen = river.rings();
            long streamSeen = stream.rings();

            version.incrementAndGet();

            river.awaitAfter(riverSeen, LONG);
            stream.awaitAfter(streamSeen, LONG);
            assertThat(river.rings()).isGreaterThan(riverSeen);
            assertThat(stream.rings()).isGreaterThan(streamSeen);
        }
    }

    @Test
    void closingTheStageStopsTheWatcherAndNothingOpensTheFileAgain() {
        EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT);
        Doorbell doorbell = backend.doorbell();
        doorbell.river("r1");
        assertThat(doorbell.watching()).isTrue();

        backend.close();

        assertThat(doorbell.watching()).isFalse();
        Assertions.assertThatThrownBy(() -> backend.rivers().exists(RiverName.of("r1")))
                .hasMessageContaining("was closed");
    }

    @Test
    void anAppendRingsItsStreamsBellAndNoRiversWhileRoutingRingsTheRiversReached() {
        RiverName r1 = RiverName.of("r1");
        RiverName r2 = RiverName.of("r2");
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT)) {
            backend.embeddedRivers().create(r1);
            backend.embeddedRivers().create(r2);
            backend.subscriptions().subscribe(r1, Topic.of("T"));
            backend.subscriptions().subscribe(r2, Topic.of("U"));
            Doorbell doorbell = backend.doorbell();
            long stream = doorbell.stream(backend.rapidsStream()).rings();
            long first = doorbell.river(r1.value()).rings();
            long second = doorbell.river(r2.value()).rings();

            backend.rapids().publish(Event.builder(Topic.of("T"), "S", Json.object()).build());

            assertThat(doorbell.stream(backend.rapidsStream()).rings()).isGreaterThan(stream);
            assertThat(doorbell.river(r1.value()).rings()).isEqualTo(first);

            for (String shard : backend.streams().shardIds()) {
                backend.router().route(backend.streams().read(backend.rapidsStream(), shard, 0, 100).stream()
                        .map(r -> new EventRecord(Event.parse(r.text()), r)).toList());
            }

            assertThat(doorbell.river(r1.value()).rings()).isGreaterThan(first);
            assertThat(doorbell.river(r2.value()).rings()).isEqualTo(second);
        }
    }

    @Test
    void aReceiveWaitingInOneProcessGetsWhatAnotherRoutes() throws Exception {
        RiverName r1 = RiverName.of("r1");
        try (EmbeddedBackend waiting = EmbeddedBackend.open(dataDir, Stage.DEFAULT);
             EmbeddedBackend other = EmbeddedBackend.open(dataDir, Stage.DEFAULT)) {
            waiting.embeddedRivers().create(r1);
            waiting.subscriptions().subscribe(r1, Topic.of("T"));
            Event sent = Event.builder(Topic.of("T"), "S", Json.object().put("n", 1)).build();
            Thread publisher = new Thread(() -> {
                other.rapids().publish(sent);
                for (String shard : other.streams().shardIds()) {
                    other.router().route(other.streams().read(other.rapidsStream(), shard, 0, 100).stream()
                            .map(r -> new EventRecord(Event.parse(r.text()), r)).toList());
                }
            });
            publisher.start();

            List<Delivery> received = waiting.rivers().receive(r1, 10, LONG, Duration.ofSeconds(30));

            publisher.join();
            assertThat(received).extracting(d -> Event.parse(d.body()).id()).containsExactly(sent.id());
        }
    }

    @Test
    void followingTheRapidsLooksUpOnlyWhatCameAfterTheLastRecordSeen() throws Exception {
        try (EmbeddedBackend backend = EmbeddedBackend.open(dataDir, Stage.DEFAULT);
             Connection sql = DriverManager.getConnection("jdbc:sqlite:"
                     + dataDir.resolve(backend.stage().value() + ".db"));
             var plan = sql.createStatement().executeQuery("EXPLAIN QUERY PLAN " + EmbeddedTail.AFTER
                     .replaceFirst("\\?", "'Rapids'").replaceFirst("\\?", "5"))) {
            StringBuilder steps = new StringBuilder();
            while (plan.next()) {
                steps.append(plan.getString("detail")).append('\n');
            }
            // by the table's key from the last record seen: not a walk through the stream's whole index
            assertThat(steps.toString()).contains("INTEGER PRIMARY KEY (rowid>?)").doesNotContain("TEMP B-TREE");
        }
    }
}
