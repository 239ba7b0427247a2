package org.rapidsrivers.service.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.monitor.MonitorPond;
import org.rapidsrivers.core.monitor.MonitorState;

/**
 * Understands a monitor's metrics as CloudWatch's embedded metric format: one JSON line that Lambda's logs (or
 * CloudWatch's agent) turn into MonitorBreached (1 or 0), MonitorRatio and MonitorSample in the namespace
 * {@code RapidsRivers/<stage>} (the stage from {@code RR_STAGE}, else dev), once by monitor and once for the
 * whole stage: the stack's alarm watches the latter, so it needs no monitor's name when it is made.
 */
final class EmbeddedMetrics {
    private EmbeddedMetrics() {
    }

    static String line(String monitor, MonitorState state, Instant at) {
        String stage = System.getenv().getOrDefault("RR_STAGE", "dev");
        ObjectNode line = Json.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", MonitorPond.METRICS_NAMESPACE + stage);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add("monitor");
        dimensions.addArray();
        ArrayNode metrics = directive.putArray("Metrics");
        metrics.addObject().put("Name", MonitorPond.BREACHED_METRIC).put("Unit", "Count");
        metrics.addObject().put("Name", "MonitorRatio").put("Unit", "None");
        metrics.addObject().put("Name", "MonitorSample").put("Unit", "Count");
        line.put("monitor", monitor);
        line.put(MonitorPond.BREACHED_METRIC, state.breached() ? 1 : 0);
        line.put("MonitorRatio", state.ratio());
        line.put("MonitorSample", state.sample());
        return Json.compact(line);
    }
}
