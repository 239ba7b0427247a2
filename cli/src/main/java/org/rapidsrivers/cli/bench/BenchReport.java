package org.rapidsrivers.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import org.rapidsrivers.core.json.Json;

/** Understands the result of a benchmark: a table for people and, as the last line, one JSON object for tools. */
record BenchReport(BenchSettings settings, double publishSeconds, double endToEndSeconds, double p50Millis,
                   double p99Millis, long lost, long duplicated, double startupMillis) {

    BenchReport withStartup(double millis) {
        return new BenchReport(settings, publishSeconds, endToEndSeconds, p50Millis, p99Millis, lost, duplicated, millis);
    }

    double publishEps() {
        return settings.events() / publishSeconds;
    }

    double endToEndEps() {
        return settings.events() / endToEndSeconds;
    }

    void print(String backend, PrintWriter out) {
        out.printf("%-22s %s%n", "backend", backend);
        out.printf("%-22s %d%n", "events", settings.events());
        out.printf("%-22s %d (read by %d consumer thread%s)%n", "rivers", settings.rivers(), settings.readers(),
                settings.readers() == 1 ? "" : "s");
        out.printf("%-22s %,.0f events/s%n", "publish", publishEps());
        out.printf("%-22s %,.0f events/s (%,d deliveries)%n", "end-to-end", endToEndEps(),
                (long) settings.events() * settings.rivers());
        out.printf("%-22s p50 %.1f ms, p99 %.1f ms (%d events at %d/s)%n", "send to readable", p50Millis, p99Millis,
                settings.latencyEvents(), settings.rate());
        out.printf("%-22s %d%n", "lost", lost);
        out.printf("%-22s %d%n", "duplicated", duplicated);
        if (startupMillis >= 0) {
            out.printf("%-22s %.0f ms (median of 7 runs of ./rr topics)%n", "one-shot command", startupMillis);
        }
        out.println(Json.compact(toJson(backend)));
        out.flush();
    }

    ObjectNode toJson(String backend) {
        ObjectNode json = Json.object();
        json.put("backend", backend);
        json.put("events", settings.events());
        json.put("rivers", settings.rivers());
        json.put("readers", settings.readers());
        json.put("publish_eps", Math.round(publishEps()));
        json.put("e2e_eps", Math.round(endToEndEps()));
        ObjectNode latency = json.putObject("latency_ms");
        latency.put("p50", round(p50Millis));
        latency.put("p99", round(p99Millis));
        latency.put("rate_eps", settings.rate());
        json.put("lost", lost);
        json.put("duplicated", duplicated);
        if (startupMillis >= 0) {
            json.put("oneshot_topics_ms", Math.round(startupMillis));
        }
        return json;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
