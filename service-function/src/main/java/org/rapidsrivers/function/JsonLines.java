package org.rapidsrivers.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.function.Consumer;
import org.rapidsrivers.core.json.Json;

/**
 * Understands what a service function writes to its log group, one JSON object a line (what CloudWatch
 * Logs Insights queries): the runner's lines, one line per failed message with its messageId and eventId,
 * and per batch the river's counters in Embedded Metric Format, which CloudWatch turns into metrics
 * (namespace RapidsRivers, dimensions Stage and Service) without a PutMetricData call.
 */
final class JsonLines {
    static final String NAMESPACE = "RapidsRivers";

    private final Consumer<String> out;
    private final String stage;
    private final String service;

    JsonLines(Consumer<String> out, String stage, String service) {
        this.out = out;
        this.stage = stage;
        this.service = service;
    }

    void info(String message) {
        out.accept(Json.compact(line("INFO").put("message", message)));
    }

    void failed(String messageId, String eventId, String reason, int receiveCount) {
        // the runner's own line says which: given up on with its reason on the last receive, else to come back
        String outcome = reason.contains(", dead-lettered to ") ? "message not handled, dead-lettered with the reason"
                : "message not handled, left for redelivery";
        out.accept(Json.compact(line("WARN").put("message", outcome)
                .put("messageId", messageId).put("eventId", eventId).put("receiveCount", receiveCount).put("reason", reason)));
    }

    void metrics(int received, long handled, int failed, long duplicates, long handlerMillis) {
        ObjectNode line = Json.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", Instant.now().toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Stage").add("Service");
        var metrics = directive.putArray("Metrics");
        metrics.addObject().put("Name", "Received").put("Unit", "Count");
        metrics.addObject().put("Name", "Handled").put("Unit", "Count");
        metrics.addObject().put("Name", "Failed").put("Unit", "Count");
        metrics.addObject().put("Name", "DuplicatesSkipped").put("Unit", "Count");
        metrics.addObject().put("Name", "HandlerTime").put("Unit", "Milliseconds");
        line.put("Stage", stage).put("Service", service)
                .put("Received", received).put("Handled", handled).put("Failed", failed)
                .put("DuplicatesSkipped", duplicates).put("HandlerTime", handlerMillis);
        out.accept(Json.compact(line));
    }

    private ObjectNode line(String level) {
        return Json.object().put("level", level).put("stage", stage).put("service", service);
    }
}
