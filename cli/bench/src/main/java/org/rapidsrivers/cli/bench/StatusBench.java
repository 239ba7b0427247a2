package org.rapidsrivers.cli.bench;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.rapidsrivers.cli.operate.StatusReport;
import org.rapidsrivers.cli.operate.Topology;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands how long rr status and rr topology take inside a running process on a stage with many
 * rivers, and which calls status makes: the rivers are made (each with one of seven topics, in blocks, so on AWS
 * each SNS topic past the first holds a few), checked end to end ({@link DeliveryCheck}), then, with events
 * flowing at {@code load} a second where asked (published on another thread, routed by the planes this
 * process hosts), each report is built several times; the medians and the API calls of one status report
 * are printed.
 */
final class StatusBench {
    private static final int RUNS = 5;

    private StatusBench() {
    }

    /** Rivers checked end to end: each receives exactly its events. */
    static final int SAMPLE = 50;

    static RiverName river(int i) {
        return RiverName.of("status-" + i);
    }

    static int run(Backend backend, int rivers, int load, CallCounter calls, PrintWriter out) {
        long making = System.nanoTime();
        Map<String, Long> beforeMaking = calls.snapshot();
        for (int i = 0; i < rivers; i++) {
            RiverName river = river(i);
            if (!backend.rivers().exists(river)) {
                backend.rivers().create(river);
                backend.subscriptions().subscribe(river, DeliveryCheck.typeOf(i, rivers));
            }
        }
        long madeMillis = (System.nanoTime() - making) / 1_000_000;
        long madeCalls = CallCounter.difference(calls.snapshot(), beforeMaking).values().stream().mapToLong(Long::longValue).sum();
        out.println("made " + rivers + " rivers in " + madeMillis + " ms (" + madeCalls + " API calls)");
        StringBuilder delivered = new StringBuilder();
        String wrong = DeliveryCheck.run(backend, rivers, Math.min(SAMPLE, rivers), calls, delivered);
        if (wrong != null) {
            out.println("FAILED end to end: " + wrong);
            out.flush();
            return 1;
        }
        out.println("end to end: " + delivered);
        out.flush();
        Load flowing = load > 0 ? Load.start(backend, load) : null;
        try {
            if (flowing != null) {
                flowing.awaitWarm();
            }
            Map<String, Long> perReport = Map.of();
            List<Long> statusMillis = new ArrayList<>();
            List<Long> topologyMillis = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                Map<String, Long> before = calls.snapshot();
                StatusReport report = timed(statusMillis, () -> StatusReport.of(backend, List.of(), Clock.systemUTC()));
                perReport = CallCounter.difference(calls.snapshot(), before);
                if (report.rivers().size() < rivers) {
                    throw new IllegalStateException("status saw " + report.rivers().size() + " rivers of " + rivers);
                }
                timed(topologyMillis, () -> Topology.of(backend, Duration.ofHours(1), Instant.now()));
            }
            long statusMedian = median(statusMillis);
            long topologyMedian = median(topologyMillis);
            double achieved = flowing == null ? 0 : flowing.stop();
            out.println("status of " + rivers + " rivers" + (flowing == null ? "" : String.format(" with %.0f events/s flowing",
                    achieved)) + ": median " + statusMedian + " ms of " + RUNS + " runs " + statusMillis + "; topology: median "
                    + topologyMedian + " ms " + topologyMillis + "; calls per status report " + perReport + " ("
                    + perReport.values().stream().mapToLong(Long::longValue).sum() + ")");
            var json = Json.object().put("rivers", rivers).put("status_median_ms", statusMedian)
                    .put("topology_median_ms", topologyMedian).put("load_eps", Math.round(achieved));
            perReport.forEach(json.putObject("calls_per_report")::put);
            out.println(Json.compact(json));
            out.flush();
            return 0;
        } finally {
            if (flowing != null) {
                flowing.stop();
            }
        }
    }

    private static <T> T timed(List<Long> millis, Supplier<T> work) {
        long started = System.nanoTime();
        T result = work.get();
        millis.add((System.nanoTime() - started) / 1_000_000);
        return result;
    }

    private static long median(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Understands events published at a steady rate on a thread of their own, in batches every 10 ms. */
    private static final class Load {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong published = new AtomicLong();
        private final Thread thread;
        private final long started = System.nanoTime();
        private double rate = -1;

        private Load(Backend backend, int perSecond) {
            int perTick = Math.max(1, perSecond / 100);
            thread = new Thread(() -> {
                long next = System.nanoTime();
                while (running.get()) {
                    List<Event> batch = new ArrayList<>(perTick);
                    for (int i = 0; i < perTick; i++) {
                        batch.add(Event.builder(Topic.of("Status" + (published.get() + i) % 7), "bench", Json.object()).build());
                    }
                    backend.rapids().publishAll(batch);
                    published.addAndGet(perTick);
                    next += 10_000_000L;
                    long left = next - System.nanoTime();
                    if (left > 0) {
                        LockSupport.parkNanos(left);
                    }
                }
            }, "rr-bench-load");
            thread.setDaemon(true);
        }

        static Load start(Backend backend, int perSecond) {
            Load load = new Load(backend, perSecond);
            load.thread.start();
            return load;
        }

        /** A second of load first, so the reports are timed with events already flowing. */
        void awaitWarm() {
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }

        /** Stops it; the rate it kept. */
        double stop() {
            if (rate < 0) {
                running.set(false);
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                rate = published.get() / ((System.nanoTime() - started) / 1e9);
            }
            return rate;
        }
    }
}
