package org.rapidsrivers.cli.bench;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rapidsrivers.cli.operate.StatusReport;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Backend;

/**
 * Understands how long rr status takes on a stage with many rivers, and which calls it makes: the rivers
 * are made (each with a topic), then the whole report is built several times; the median time and the
 * API calls of one report are printed.
 */
final class StatusBench {
    private static final int RUNS = 5;

    private StatusBench() {
    }

    static int run(Backend backend, int rivers, CallCounter calls, PrintWriter out) {
        for (int i = 0; i < rivers; i++) {
            RiverName river = RiverName.of("status-" + i);
            if (!backend.rivers().exists(river)) {
                backend.rivers().create(river);
                backend.subscriptions().subscribe(river, Topic.of("Status" + (i % 7)));
            }
        }
        List<Long> millis = new ArrayList<>();
        Map<String, Long> perReport = Map.of();
        for (int run = 0; run < RUNS; run++) {
            Map<String, Long> before = calls.snapshot();
            long started = System.nanoTime();
            StatusReport report = StatusReport.of(backend, List.of(), Clock.systemUTC());
            millis.add((System.nanoTime() - started) / 1_000_000);
            perReport = CallCounter.difference(calls.snapshot(), before);
            if (report.rivers().size() < rivers) {
                throw new IllegalStateException("status saw " + report.rivers().size() + " rivers of " + rivers);
            }
        }
        List<Long> sorted = millis.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        out.println("status of " + rivers + " rivers: median " + median + " ms of " + RUNS + " runs " + millis
                + "; calls per report " + perReport + " (" + perReport.values().stream().mapToLong(Long::longValue).sum() + ")");
        var json = Json.object().put("rivers", rivers).put("status_median_ms", median);
        perReport.forEach(json.putObject("calls_per_report")::put);
        out.println(Json.compact(json));
        out.flush();
        return 0;
    }
}
