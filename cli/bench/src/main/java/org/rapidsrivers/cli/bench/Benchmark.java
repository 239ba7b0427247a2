package org.rapidsrivers.cli.bench;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.measure.LatencyRecorder;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.service.RiverReader;

/**
 * Understands how to measure a backend as its users see it: M rivers subscribed through the control
 * plane, N events published in bulk and read back from every river (publish and end-to-end rates,
 * loss, duplication), then a steady trickle to measure the time from send to readable.
 */
final class Benchmark {
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final int BULK = 500;

    private final Backend backend;
    private final BenchSettings settings;
    private final PrintWriter progress;
    private final CallCounter calls;
    private final List<RiverName> rivers = new ArrayList<>();
    /** Every run has rivers and a topic of its own: an emulator keeps what earlier runs left. */
    private final String run = Long.toString(System.currentTimeMillis() % 2_000_000_000L, 36);
    private final Topic tick = Topic.of("BenchTick-" + run);

    Benchmark(Backend backend, BenchSettings settings, PrintWriter progress, CallCounter calls) {
        this.backend = backend;
        this.settings = settings;
        this.progress = progress;
        this.calls = calls;
    }

    /** The type every event of this run has (what monitors over the run name). */
    Topic tick() {
        return tick;
    }

    BenchReport run() {
        subscribeRivers();
        Map<String, Long> before = calls.snapshot();
        Throughput throughput = measureThroughput();
        Map<String, Long> bulkCalls = CallCounter.difference(calls.snapshot(), before);
        Latency latency = measureLatency();
        return new BenchReport(settings, throughput.publishSeconds(), throughput.endToEndSeconds(), throughput.readSeconds(),
                latency.p50Millis(), latency.p99Millis(), throughput.tally().lost() + latency.tally().lost(),
                throughput.tally().duplicated() + latency.tally().duplicated(), -1, bulkCalls);
    }

    private void subscribeRivers() {
        for (int i = 0; i < settings.rivers(); i++) {
            RiverName river = RiverName.of("b" + run + "-r" + i);
            ControlCommand subscribe = ControlCommand.subscribe(river, tick, settings.filtered()
                    ? ContentFilter.parse(BenchSettings.FILTER) : ContentFilter.WHOLE, Clock.systemUTC());
            try (Outcomes.Watch watch = backend.outcomes().watch()) {
                backend.controlStream().send(subscribe);
                if (!watch.await(subscribe.commandId(), Duration.ofSeconds(60)).map(o -> o.applied()).orElse(false)) {
                    throw new IllegalStateException("the control plane did not subscribe " + river);
                }
            }
            rivers.add(river);
        }
        say("subscribed " + rivers.size() + " rivers to " + tick + (settings.filtered() ? " where "
                + ContentFilter.parse(BenchSettings.FILTER).text() : ""));
    }

    /**
     * Publishes in bulk and takes the time until every event is readable in every river (the rivers'
     * depths add up), with no reader competing; then reads every river dry, which gives the consume
     * rate and shows whether anything was lost or duplicated.
     */
    private Throughput measureThroughput() {
        List<Event> events = new ArrayList<>(settings.events());
        for (int i = 0; i < settings.events(); i++) {
            events.add(Event.builder(tick, "bench", Json.object().put("phase", "bulk").put("n", i)).build());
        }
        long start = System.nanoTime();
        for (int from = 0; from < events.size(); from += BULK) {
            backend.rapids().publishAll(events.subList(from, Math.min(events.size(), from + BULK)));
        }
        double publishSeconds = seconds(System.nanoTime() - start);
        say(String.format("published %d events in %.2f s", events.size(), publishSeconds));
        long deliveries = (long) settings.events() * rivers.size();
        awaitReadable(deliveries);
        double endToEndSeconds = seconds(System.nanoTime() - start);
        say(String.format("all %d deliveries readable in %d rivers after %.2f s", deliveries, rivers.size(), endToEndSeconds));
        Tally tally = new Tally(rivers.size());
        long readStart = System.nanoTime();
        try (Readers readers = new Readers(tally, null)) {
            tally.awaitAll(settings.events(), STALL);
            double readSeconds = seconds(System.nanoTime() - readStart);
            say(String.format("read %d deliveries in %.2f s", tally.total(), readSeconds));
            readers.drainQuietPeriod();
            tally.settle(events.stream().map(Event::id).toList());
            return new Throughput(publishSeconds, endToEndSeconds, readSeconds, tally);
        }
    }

    /** Waits until the rivers hold every delivery, or until their depth stops growing for a while. */
    private void awaitReadable(long deliveries) {
        long last = -1;
        long changed = System.nanoTime();
        while (true) {
            long readable = rivers.stream().mapToLong(backend.rivers()::depth).sum();
            if (readable >= deliveries) {
                return;
            }
            if (readable != last) {
                last = readable;
                changed = System.nanoTime();
            } else if (System.nanoTime() - changed > STALL.toNanos()) {
                say("stopped waiting: " + readable + " of " + deliveries + " deliveries readable");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(settings.depthPollMillis()));
        }
    }

    private Latency measureLatency() {
        int count = settings.latencyEvents();
        Tally tally = new Tally(rivers.size());
        LatencyRecorder recorder = new LatencyRecorder();
        List<String> ids = new ArrayList<>(count);
        try (Readers readers = new Readers(tally, recorder)) {
            long interval = TimeUnit.SECONDS.toNanos(1) / settings.rate();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Event event = Event.builder(tick, "bench", Json.object().put("phase", "latency").put("n", i)
                        .put("sentNanos", System.nanoTime())).build();
                ids.add(event.id());
                backend.rapids().publish(event);
            }
            tally.awaitAll(count, STALL);
            readers.drainQuietPeriod();
            tally.settle(ids);
        }
        say(String.format("latency: %d events at %d/s, p50 %.1f ms, p99 %.1f ms", count, settings.rate(),
                recorder.percentile(50), recorder.percentile(99)));
        return new Latency(recorder.percentile(50), recorder.percentile(99), tally);
    }

    private void say(String line) {
        progress.println("# " + line);
        progress.flush();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * Understands the consumers: a few threads (one by default, like one service instance), each
     * reading its share of the rivers round-robin, recording and deleting what it takes.
     */
    private final class Readers implements AutoCloseable {
        private final int threads = Math.min(rivers.size(), settings.readers());
        private final ExecutorService pool = Executors.newFixedThreadPool(threads);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Future<?>> futures = new ArrayList<>();

        Readers(Tally tally, LatencyRecorder latency) {
            for (int t = 0; t < threads; t++) {
                List<Integer> share = new ArrayList<>();
                for (int i = t; i < rivers.size(); i += threads) {
                    share.add(i);
                }
                futures.add(pool.submit(() -> read(share, tally, latency)));
            }
        }

        private void read(List<Integer> share, Tally tally, LatencyRecorder latency) {
            // a thread with one river long-polls it; one with several goes round them without waiting
            Duration wait = share.size() == 1 ? Duration.ofSeconds(1) : Duration.ZERO;
            while (running.get()) {
                boolean any = false;
                for (int index : share) {
                    any |= readOnce(index, wait, tally, latency);
                }
                if (!any && share.size() > 1) {
                    // nothing anywhere: wait on one river, so an idle reader does not spin
                    readOnce(share.get(0), Duration.ofMillis(20), tally, latency);
                }
            }
        }

        private boolean readOnce(int index, Duration wait, Tally tally, LatencyRecorder latency) {
            return new RiverReader(backend.rivers(), rivers.get(index)).readOnce(10, wait, Duration.ofSeconds(30), batch -> {
                long now = System.nanoTime();
                for (Delivery delivery : batch) {
                    if (latency != null) {
                        Event event = Event.parseRoutable(delivery.body());
                        tally.record(index, event.id());
                        latency.record(now - event.payload().get("sentNanos").asLong());
                    } else {
                        tally.record(index, eventIdOf(delivery.body()));
                    }
                }
                return batch;
            }) > 0;
        }

        /** The eventId without parsing the whole envelope: the bulk phase only counts ids. */
        private String eventIdOf(String body) {
            int key = body.indexOf("\"eventId\"");
            int start = body.indexOf('"', body.indexOf(':', key) + 1) + 1;
            return body.substring(start, body.indexOf('"', start));
        }

        /** Keeps reading a little longer, so a duplicate that arrives late is still counted. */
        void drainQuietPeriod() {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }

        @Override
        public void close() {
            running.set(false);
            pool.shutdown();
            try {
                for (Future<?> future : futures) {
                    future.get(30, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException("a bench reader failed: " + e.getMessage(), e);
            }
        }
    }

    private record Throughput(double publishSeconds, double endToEndSeconds, double readSeconds, Tally tally) {
    }

    private record Latency(double p50Millis, double p99Millis, Tally tally) {
    }

    /** Understands which event ids each river received, and how many times. */
    static final class Tally {
        private final List<ConcurrentHashMap<String, Integer>> seen = new ArrayList<>();
        private final AtomicLongArray distinct;
        private final AtomicLong total = new AtomicLong();
        private long lost;
        private long duplicated;

        Tally(int rivers) {
            for (int i = 0; i < rivers; i++) {
                seen.add(new ConcurrentHashMap<>());
            }
            distinct = new AtomicLongArray(rivers);
        }

        void record(int river, String eventId) {
            if (seen.get(river).merge(eventId, 1, Integer::sum) == 1) {
                distinct.incrementAndGet(river);
            }
            total.incrementAndGet();
        }

        long total() {
            return total.get();
        }

        /** Waits until every river holds every event, or until nothing new arrives for {@code stall}. */
        void awaitAll(int perRiver, Duration stall) {
            long lastTotal = -1;
            long lastChange = System.nanoTime();
            while (!allHave(perRiver)) {
                long now = total();
                if (now != lastTotal) {
                    lastTotal = now;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > stall.toNanos()) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }

        private boolean allHave(int perRiver) {
            for (int i = 0; i < distinct.length(); i++) {
                if (distinct.get(i) < perRiver) {
                    return false;
                }
            }
            return true;
        }

        /** Compares what arrived with what was sent: an id missing from a river is lost, a second copy is a duplicate. */
        void settle(List<String> sentInOrder) {
            Set<String> sent = new HashSet<>(sentInOrder);
            for (ConcurrentHashMap<String, Integer> river : seen) {
                for (String id : sent) {
                    int copies = river.getOrDefault(id, 0);
                    if (copies == 0) {
                        lost++;
                    } else {
                        duplicated += copies - 1;
                    }
                }
                duplicated += river.keySet().stream().filter(id -> !sent.contains(id)).count();
            }
        }

        long lost() {
            return lost;
        }

        long duplicated() {
            return duplicated;
        }
    }
}
