package org.rapidsrivers.cli.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rapidsrivers.core.archive.ArchiveQuery;
import org.rapidsrivers.core.archive.Replayer;
import org.rapidsrivers.core.archive.Trace;
import org.rapidsrivers.core.archive.Tracer;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * Understands how fast the embedded archive answers at size: it fills a stage's rapids with {@code events}
 * events (page views in chains of ten: a root and nine events it caused, over 16 types), then times a
 * trace of one 10-event chain (median of several), a replay of {@code replayed} events into one river
 * (events a second) and the archive's summary.
 */
final class ArchiveBench {
    private static final int RUNS = 5;
    private static final int CHAIN = 10;

    private ArchiveBench() {
    }

    static int run(EmbeddedBackend backend, int events, int replayed, PrintWriter out) {
        Instant since = Instant.now().minusSeconds(1);
        long filling = System.nanoTime();
        List<Event> batch = new ArrayList<>(1000);
        String traced = null;
        for (int i = 0; i < events; i += CHAIN) {
            Event root = Event.builder(Topic.of("Page" + (i / CHAIN % 16)), "bench", Json.object().put("n", i)).build();
            batch.add(root);
            Event cause = root;
            for (int j = 1; j < CHAIN && i + j < events; j++) {
                Event next = Event.builder(Topic.of("Step" + j), "bench-" + j, Json.object().put("n", i + j))
                        .causationId(cause.id()).correlationId(root.id()).build();
                batch.add(next);
                cause = next;
            }
            if (i == events / 2 / CHAIN * CHAIN) {
                traced = root.id();
            }
            if (batch.size() >= 1000) {
                backend.rapids().publishAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            backend.rapids().publishAll(batch);
        }
        double fillSeconds = (System.nanoTime() - filling) / 1e9;
        out.printf("archive of %d events filled in %.1f s (%.0f events/s appended)%n", events, fillSeconds, events / fillSeconds);

        Tracer tracer = new Tracer(backend.archive(), backend.rivers(), backend.subscriptions(), backend.ledger());
        List<Long> traceMillis = new ArrayList<>();
        int size = 0;
        for (int run = 0; run < RUNS; run++) {
            long began = System.nanoTime();
            Trace trace = tracer.trace(traced, since, Instant.now().plusSeconds(1)).orElseThrow();
            traceMillis.add((System.nanoTime() - began) / 1_000_000);
            size = trace.size();
        }
        Collections.sort(traceMillis);
        out.printf("trace of a %d-event chain: median %d ms (runs %s)%n", size, traceMillis.get(RUNS / 2), traceMillis);

        RiverName river = RiverName.of("replayed");
        backend.rivers().create(river);
        ArchiveQuery query = ArchiveQuery.window(since, Instant.now().plusSeconds(1));
        long replaying = System.nanoTime();
        long[] sent = {0};
        new Replayer(backend.archive(), backend.rivers(), 500).replay(river, query, 0, (state, resumed) -> { },
                count -> sent[0] = count, () -> sent[0] >= replayed);
        double replaySeconds = (System.nanoTime() - replaying) / 1e9;
        out.printf("replay of %d events into one river: %.1f s, %.0f events/s%n", sent[0], replaySeconds, sent[0] / replaySeconds);

        long summing = System.nanoTime();
        var summary = backend.archive().summary(true);
        out.printf("rr archive --by-type: %d ms (%d events, %d bytes)%n", (System.nanoTime() - summing) / 1_000_000,
                summary.events(), summary.bytes());
        long heading = System.nanoTime();
        backend.archive().summary(false);
        out.printf("the archive's line of rr status: %d ms%n", (System.nanoTime() - heading) / 1_000_000);
        out.flush();
        return size == CHAIN ? 0 : 1;
    }
}
