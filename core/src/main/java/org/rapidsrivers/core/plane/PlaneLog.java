package org.rapidsrivers.core.plane;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.rapidsrivers.core.json.Json;

/**
 * Understands what the planes say about their work, one JSON line each, so CloudWatch Logs Insights
 * (or a person reading standard error) can answer "why": a line per record that failed or was
 * dead-lettered (stage, plane, shard, sequence number, reason), and a line per batch in CloudWatch's
 * Embedded Metric Format (namespace {@value #NAMESPACE}, dimensions Stage and Plane: records in,
 * failed, batch duration and what the plane counted: routed, dead-lettered, publish calls, applied,
 * rejected), which CloudWatch turns into metrics with no API call. Failures are always said; batch
 * lines in a Lambda, or where asked for ({@code -Drr.planeLog=all}, which rr --debug sets), since a
 * shell would drown in them.
 */
public final class PlaneLog {
    public static final String NAMESPACE = "RapidsRivers";
    private final String stage;
    private final String plane;
    private final boolean batches;
    private final Consumer<String> out;

    public PlaneLog(String stage, String plane, boolean batches, Consumer<String> out) {
        this.stage = stage;
        this.plane = plane;
        this.batches = batches;
        this.out = out;
    }

    /** To standard error; batch lines in a Lambda or with -Drr.planeLog=all. */
    public static PlaneLog of(String stage, String plane) {
        boolean batches = System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null
                || "all".equals(System.getProperty("rr.planeLog"));
        return new PlaneLog(stage, plane, batches, line -> System.err.println(line));
    }

    /** One batch's outcome, and a line for each record reported failed. */
    public void batch(List<StreamRecord> records, BatchResult result, long durationMillis) {
        String shard = records.isEmpty() ? "" : records.get(0).shardId();
        List<String> failed = result.failedSequenceNumbers();
        for (int i = 0; i < failed.size(); i++) {
            out.accept(Json.compact(line("WARN", "record failed", shard).put("sequenceNumber", failed.get(i))
                    .put("reason", i == 0 ? result.reason() : "after an earlier record of the batch failed")));
        }
        if (batches) {
            out.accept(Json.compact(metrics(records.size(), failed.size(), durationMillis, result.counts())
                    .put("level", "INFO").put("message", "batch").put("shard", shard)));
        }
    }

    /** One Embedded Metric Format document: the batch's numbers as metrics of this stage and plane. */
    private ObjectNode metrics(int in, int failed, long durationMillis, Map<String, Long> counts) {
        ObjectNode line = Json.object();
        ObjectNode directive = line.putObject("_aws").put("Timestamp", System.currentTimeMillis())
                .putArray("CloudWatchMetrics").addObject().put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Stage").add("Plane");
        ArrayNode metrics = directive.putArray("Metrics");
        line.put("Stage", stage).put("Plane", plane);
        metrics.addObject().put("Name", "RecordsIn").put("Unit", "Count");
        line.put("RecordsIn", in);
        metrics.addObject().put("Name", "Failed").put("Unit", "Count");
        line.put("Failed", failed);
        metrics.addObject().put("Name", "BatchDuration").put("Unit", "Milliseconds");
        line.put("BatchDuration", durationMillis);
        new TreeMap<>(counts).forEach((name, n) -> {
            metrics.addObject().put("Name", name).put("Unit", "Count");
            line.put(name, n);
        });
        return line;
    }

    public void deadLettered(StreamRecord record, String reason) {
        out.accept(Json.compact(line("ERROR", "record dead-lettered", record.shardId())
                .put("sequenceNumber", record.sequenceNumber()).put("reason", reason)));
    }

    private ObjectNode line(String level, String message, String shard) {
        return Json.object().put("level", level).put("message", message).put("stage", stage).put("plane", plane)
                .put("shard", shard);
    }
}
