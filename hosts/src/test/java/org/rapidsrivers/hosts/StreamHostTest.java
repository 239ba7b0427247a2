package org.rapidsrivers.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * The one stream host over the embedded log, on clocks the test moves: batches in order per shard,
 * retries from the first failure, give-up to the dead letters, one lease holder at a time, a takeover
 * after one time-to-live of silence however the holders' wall clocks read, and a holder that lost its
 * lease fenced off from writing.
 */
class StreamHostTest {
    private static final String STREAM = "Test-dev";
    private static final HostSettings FAST = HostSettings.embedded().withLeaseTtl(Duration.ofSeconds(3)).withBatchSize(10);

    @TempDir
    Path dataDir;

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    @Test
    void processesEachShardInOrderAndCheckpointsAfterSuccess() {
        try (EmbeddedBackend backend = open()) {
            Recording recording = new Recording();
            append(backend, 25);
            StreamHost host = host(backend, recording, "one", new AtomicLong(), Clock.systemUTC());

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
            AtomicLong nanos = new AtomicLong();

            drain(host(backend, failsOnceAtThird, "one", nanos, Clock.systemUTC()), nanos);

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
            AtomicLong nanos = new AtomicLong();

            drain(host(backend, throwsOnSecond, "one", nanos, Clock.systemUTC()), nanos);

            assertThat(seen).containsExactly("k0:0", "k0:2", "k0:3");
            assertThat(backend.fanOutDeadLetters().list()).singleElement().satisfies(dead -> {
                assertThat(dead.text()).isEqualTo("k0:1");
                assertThat(dead.reason()).startsWith("gave up after 3 attempts: IllegalStateException: handler bug");
            });
            assertThat(logged).singleElement().asString().contains("record dead-lettered", "\"sequenceNumber\":\"2\"");
        }
    }

    @Test
    void aStageOutOfReachCountsNoAttemptAgainstTheRecord() {
        try (EmbeddedBackend backend = open()) {
            append(backend, 2);
            AtomicInteger outages = new AtomicInteger(10);
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            StreamProcessor unreachableTenTimes = batch -> {
                if (outages.getAndDecrement() > 0) {
                    return BatchResult.unreachableFrom(batch, 0, "the disk is full");
                }
                batch.forEach(r -> seen.add(r.text()));
                return BatchResult.success();
            };
            AtomicLong nanos = new AtomicLong();

            drain(host(backend, unreachableTenTimes, "one", nanos, Clock.systemUTC()), nanos);

            assertThat(seen).containsExactly("k0:0", "k0:1");
            assertThat(backend.fanOutDeadLetters().list()).isEmpty();
        }
    }

    @Test
    void onlyTheLeaseHolderProcessesAndAnotherTakesOverAfterOneTimeToLiveOfSilence() {
        try (EmbeddedBackend first = open(); EmbeddedBackend second = open()) {
            Recording byFirst = new Recording();
            Recording bySecond = new Recording();
            AtomicLong secondNanos = new AtomicLong();
            StreamHost firstHost = host(first, byFirst, "first", new AtomicLong(), Clock.systemUTC());
            StreamHost secondHost = host(second, bySecond, "second", secondNanos, Clock.systemUTC());
            append(first, 3);

            assertThat(firstHost.pollOnce()).isTrue();
            append(first, 3);
            assertThat(secondHost.pollOnce()).as("the first holds the lease").isFalse();
            secondNanos.addAndGet(FAST.leaseTtl().toNanos() - 1);
            assertThat(secondHost.pollOnce()).as("not yet a whole time-to-live of silence").isFalse();

            // the first falls silent (killed without letting go): a whole time-to-live on the second's clock
            secondNanos.addAndGet(1);
            drain(secondHost, secondNanos);

            assertThat(byFirst.texts()).hasSize(3);
            assertThat(bySecond.texts()).hasSize(3).doesNotContainAnyElementsOf(byFirst.texts());
        }
    }

    @Test
    void aHolderWhoseWallClockIsAnHourAheadHoldsNothingUpBeyondOneTimeToLive() {
        try (EmbeddedBackend first = open(); EmbeddedBackend second = open()) {
            Clock anHourAhead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
            AtomicLong secondNanos = new AtomicLong();
            Recording bySecond = new Recording();
            StreamHost ahead = host(first, new Recording(), "ahead", new AtomicLong(), anHourAhead);
            StreamHost behind = host(second, bySecond, "on-time", secondNanos,
                    Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC));
            append(first, 1);
            assertThat(ahead.pollOnce()).isTrue();
            append(first, 2);

            behind.pollOnce();
            secondNanos.addAndGet(FAST.leaseTtl().toNanos());
            drain(behind, secondNanos);

            assertThat(bySecond.texts()).hasSize(2);
        }
    }

    @Test
    void aHolderThatLostItsLeaseWhilePausedIsFencedOffAndWritesNothing() {
        try (EmbeddedBackend first = open(); EmbeddedBackend second = open()) {
            Recording byFirst = new Recording();
            Recording bySecond = new Recording();
            AtomicLong firstNanos = new AtomicLong();
            AtomicLong secondNanos = new AtomicLong();
            StreamHost paused = host(first, byFirst, "paused", firstNanos, Clock.systemUTC());
            StreamHost taker = host(second, bySecond, "taker", secondNanos, Clock.systemUTC());
            append(first, 1);
            assertThat(paused.pollOnce()).isTrue();
            taker.pollOnce();
            secondNanos.addAndGet(FAST.leaseTtl().toNanos());
            assertThat(taker.pollOnce()).as("nothing new yet, but the lease is taken").isFalse();
            append(first, 2);

            // the paused holder wakes on a clock that says no time passed: it still thinks it holds the lease
            boolean worked = paused.pollOnce();

            assertThat(worked).isFalse();
            assertThat(byFirst.texts()).as("the paused holder's batch did not commit").hasSize(1);
            drain(taker, secondNanos);
            assertThat(bySecond.texts()).hasSize(2);
        }
    }

    @Test
    void aHostThatLetsGoHandsOverAtOnce() {
        try (EmbeddedBackend first = open(); EmbeddedBackend second = open()) {
            Recording bySecond = new Recording();
            StreamHost firstHost = host(first, new Recording(), "first", new AtomicLong(), Clock.systemUTC());
            firstHost.pollOnce();
            firstHost.close();
            append(second, 2);

            assertThat(host(second, bySecond, "second", new AtomicLong(), Clock.systemUTC()).pollOnce()).isTrue();
            assertThat(bySecond.texts()).hasSize(2);
        }
    }

    private EmbeddedBackend open() {
        return EmbeddedBackend.open(dataDir, Stage.DEFAULT);
    }

    private StreamHost host(EmbeddedBackend backend, StreamProcessor function, String holder, AtomicLong nanos, Clock wall) {
        EmbeddedSource source = new EmbeddedSource(backend.streams(), STREAM, "test", function, backend.fanOutDeadLetters());
        return new StreamHost(source, FAST, holder, new PlaneLog("dev", "test", false, logged::add), nanos::get, wall);
    }

    /** Appends records all with one partition key, so they land in one shard, in order. */
    private static void append(EmbeddedBackend backend, int count) {
        int start = (int) backend.latestSequence(STREAM);
        for (int i = 0; i < count; i++) {
            backend.appendRaw(STREAM, "k0", ("k0:" + (start + i)).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Polls as long as a host would need to, moving its clock past every backoff on the way. */
    private static void drain(StreamHost host, AtomicLong nanos) {
        for (int pass = 0; pass < 50; pass++) {
            host.pollOnce();
            nanos.addAndGet(FAST.retryBackoff().toNanos() * 64);
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
