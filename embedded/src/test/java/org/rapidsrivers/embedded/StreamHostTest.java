package org.rapidsrivers.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;

class StreamHostTest {
    private static final String STREAM = "Test-dev";
    private static final HostSettings FAST = HostSettings.defaults().withLeaseTtl(Duration.ofMillis(600)).withBatchSize(10);

    @TempDir
    Path dataDir;

    @Test
    void processesEachShardInOrderAndCheckpointsAfterSuccess() {
        try (EmbeddedBackend backend = open()) {
            Recording recording = new Recording();
            append(backend, 25);
            EmbeddedStreamHost host = backend.streamHost(STREAM, "test", recording, backend.fanOutDeadLetters());

            while (host.pollOnce()) {
                // until nothing is left
            }

            assertThat(recording.texts()).hasSize(25).doesNotHaveDuplicates();
            assertThat(recording.texts().stream().map(t -> Integer.parseInt(t.substring(3))).toList()).isSorted();
            assertThat(host.pollOnce()).isFalse();
        }
    }

    @Test
    void retriesFromTheFirstFailedRecordWithoutRepeatingTheOnesBefore() {
        try (EmbeddedBackend backend = open()) {
            append(backend, 5);
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failures = new AtomicInteger(1);
            StreamProcessor failsOnceAtThird = batch -> {
                for (int i = 0; i < batch.size(); i++) {
                    if (batch.get(i).text().endsWith(":2") && failures.getAndDecrement() > 0) {
                        return BatchResult.failedFrom(batch, i, "injected");
                    }
                    seen.add(batch.get(i).text());
                }
                return BatchResult.success();
            };
            EmbeddedStreamHost host = backend.streamHost(STREAM, "test", failsOnceAtThird, backend.fanOutDeadLetters());

            drain(host);

            assertThat(seen).containsExactly("k0:0", "k0:1", "k0:2", "k0:3", "k0:4");
        }
    }

    @Test
    void aRecordThatKeepsFailingGoesToTheOnFailureDestinationAndTheShardMovesOn() {
        try (EmbeddedBackend backend = open()) {
            append(backend, 4);
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            StreamProcessor throwsOnSecond = batch -> {
                for (StreamRecord record : batch) {
                    if (record.text().endsWith(":1")) {
                        throw new IllegalStateException("handler bug");
                    }
                }
                batch.forEach(r -> seen.add(r.text()));
                return BatchResult.success();
            };
            EmbeddedStreamHost host = backend.streamHost(STREAM, "test", throwsOnSecond, backend.fanOutDeadLetters());

            drain(host);

            assertThat(seen).containsExactly("k0:0", "k0:2", "k0:3");
            assertThat(backend.fanOutDeadLetters().list()).singleElement().satisfies(dead -> {
                assertThat(dead.text()).isEqualTo("k0:1");
                assertThat(dead.reason()).startsWith("gave up after 3 attempts: IllegalStateException: handler bug");
            });
        }
    }

    @Test
    void onlyTheLeaseHolderProcessesAndAnotherTakesOverWhenTheHolderDies() throws Exception {
        try (EmbeddedBackend first = open(); EmbeddedBackend second = open()) {
            Recording byFirst = new Recording();
            Recording bySecond = new Recording();
            EmbeddedStreamHost firstHost = first.streamHost(STREAM, "test", byFirst, first.fanOutDeadLetters());
            EmbeddedStreamHost secondHost = second.streamHost(STREAM, "test", bySecond, second.fanOutDeadLetters());
            append(first, 3);

            assertThat(firstHost.pollOnce()).isTrue();
            append(first, 3);
            assertThat(secondHost.pollOnce()).isFalse();
            assertThat(bySecond.texts()).isEmpty();

            // the first host dies without letting go: its lease must run out first
            Thread.sleep(FAST.leaseTtl().toMillis() + 100);
            drain(secondHost);

            assertThat(byFirst.texts()).hasSize(3);
            assertThat(bySecond.texts()).hasSize(3).doesNotContainAnyElementsOf(byFirst.texts());
        }
    }

    @Test
    void aHostThatLetsGoHandsOverAtOnce() {
        try (EmbeddedBackend first = open(); EmbeddedBackend second = open()) {
            Recording bySecond = new Recording();
            EmbeddedStreamHost firstHost = first.streamHost(STREAM, "test", new Recording(), first.fanOutDeadLetters());
            firstHost.pollOnce();
            firstHost.close();
            append(second, 2);

            assertThat(second.streamHost(STREAM, "test", bySecond, second.fanOutDeadLetters()).pollOnce()).isTrue();
            assertThat(bySecond.texts()).hasSize(2);
        }
    }

    private EmbeddedBackend open() {
        return EmbeddedBackend.open(EmbeddedBackend.Options.of(dataDir, Stage.DEFAULT).withHostSettings(FAST));
    }

    /** Appends records all with one partition key, so they land in one shard, in order. */
    private static void append(EmbeddedBackend backend, int count) {
        List<EmbeddedLog.Entry> entries = new ArrayList<>();
        int start = (int) backend.log().latest(STREAM);
        for (int i = 0; i < count; i++) {
            entries.add(EmbeddedLog.Entry.of("k0", "k0:" + (start + i)));
        }
        backend.log().append(STREAM, entries);
    }

    private static void drain(EmbeddedStreamHost host) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int idle = 0;
        while (idle < 20 && System.nanoTime() < deadline) {
            if (host.pollOnce()) {
                idle = 0;
            } else {
                idle++;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Understands a processor that only remembers what it saw. */
    private static final class Recording implements StreamProcessor {
        private final List<String> texts = Collections.synchronizedList(new ArrayList<>());

        @Override
        public BatchResult process(List<StreamRecord> batch) {
            batch.forEach(r -> texts.add(r.text()));
            return BatchResult.success();
        }

        List<String> texts() {
            return List.copyOf(texts);
        }
    }
}
