package org.rapidsrivers.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import org.rapidsrivers.core.json.Json;

/** Understands the result of a benchmark: a table for people and, as the last line, one JSON object for tools. */
record BenchReport(BenchSettings settings, double publishSeconds, double endToEndSeconds, double readSeconds,
                   double p50Millis, double p99Millis, long lost, long duplicated, double startupMillis,
                   Map<String, Long> bulkCalls) {

    BenchReport withStartup(double millis) {
        return new BenchReport(settings, publishSeconds, endToEndSeconds, readSeconds, p50Millis, p99Millis, lost,
                duplicated, millis, bulkCalls);
    }

    /** Events read from every river per second, once all were readable: one consumer's pace. */
    double consumeEps() {
        return settings.events() / readSeconds;
    }

    /** AWS calls of the bulk phase per 1,000 events published (all of them, the planes' own included). */
    ObjectNode callsPer1000Events() {
        ObjectNode json = Json.object();
        bulkCalls.forEach((operation, count) -> json.put(operation, round(count * 1000.0 / settings.events())));
        return json;
    }

    /** SQS receive and delete calls of the bulk phase per 1,000 messages read from the rivers. */
    ObjectNode sqsCallsPer1000Messages() {
        double messages = (double) settings.events() * settings.rivers();
        long receives = bulkCalls.getOrDefault("sqs.ReceiveMessage", 0L);
        long deletes = bulkCalls.getOrDefault("sqs.DeleteMessageBatch", 0L);
        ObjectNode json = Json.object();
        json.put("ReceiveMessage", round(receives * 1000 / messages));
        json.put("DeleteMessageBatch", round(deletes * 1000 / messages));
        json.put("total", round((receives + deletes) * 1000 / messages));
        return json;
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
        out.printf("%-22s %,.0f events/s (published, fanned out to %d rivers, readable: %,d deliveries)%n",
                "end-to-end", endToEndEps(), settings.rivers(), (long) settings.events() * settings.rivers());
        out.printf("%-22s %,.0f events/s (each read from all %d rivers and deleted)%n", "consume", consumeEps(),
                settings.rivers());
        out.printf("%-22s p50 %.1f ms, p99 %.1f ms (%d events at %d/s)%n", "send to readable", p50Millis, p99Millis,
                settings.latencyEvents(), settings.rate());
        out.printf("%-22s %d%n", "lost", lost);
        out.printf("%-22s %d%n", "duplicated", duplicated);
        if (startupMillis >= 0) {
            out.printf("%-22s %.0f ms (median of 7 runs of ./rr topics)%n", "one-shot command", startupMillis);
        }
        if (!bulkCalls.isEmpty()) {
            out.printf("%-22s %s%n", "calls per 1000 events", Json.compact(callsPer1000Events()));
            out.printf("%-22s %s%n", "sqs per 1000 messages", Json.compact(sqsCallsPer1000Messages()));
        }
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
        json.put("consume_eps", Math.round(consumeEps()));
        ObjectNode latency = json.putObject("latency_ms");
        latency.put("p50", round(p50Millis));
        latency.put("p99", round(p99Millis));
        latency.put("rate_eps", settings.rate());
        json.put("lost", lost);
        json.put("duplicated", duplicated);
        if (startupMillis >= 0) {
            json.put("oneshot_topics_ms", Math.round(startupMillis));
        }
        if (!bulkCalls.isEmpty()) {
            json.set("calls_per_1000_events", callsPer1000Events());
            json.set("sqs_calls_per_1000_messages", sqsCallsPer1000Messages());
        }
        return json;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
