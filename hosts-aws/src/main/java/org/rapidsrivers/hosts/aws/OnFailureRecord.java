package org.rapidsrivers.hosts.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.plane.StreamRecord;

/**
 * Understands the record an event source mapping sends to its on-failure destination when it gives up
 * on a Kinesis batch: where the batch lies in the stream (not its data, which stays in the stream),
 * why it was given up on, and which function, so the local host's dead letters look like Lambda's.
 */
public final class OnFailureRecord {
    private OnFailureRecord() {
    }

    public static String of(String streamArn, String function, StreamRecord record, int attempts, Instant now) {
        // arn:aws:kinesis:<region>:<account>:stream/<name>
        String[] arn = streamArn.split(":");
        ObjectNode json = Json.object();
        json.putObject("requestContext")
                .put("requestId", UUID.randomUUID().toString())
                .put("functionArn", "arn:aws:lambda:" + arn[3] + ":" + arn[4] + ":function:" + function)
                .put("condition", "RetryAttemptsExhausted")
                .put("approximateInvokeCount", attempts);
        json.putObject("responseContext")
                .put("statusCode", 200)
                .put("executedVersion", "$LATEST")
                .put("functionError", "Unhandled");
        json.put("version", "1.0");
        json.put("timestamp", Timestamps.format(now));
        String arrival = record.arrivedAt() == null ? Timestamps.format(now) : Timestamps.format(record.arrivedAt());
        json.putObject("KinesisBatchInfo")
                .put("shardId", record.shardId())
                .put("startSequenceNumber", record.sequenceNumber())
                .put("endSequenceNumber", record.sequenceNumber())
                .put("approximateArrivalOfFirstRecord", arrival)
                .put("approximateArrivalOfLastRecord", arrival)
                .put("batchSize", 1)
                .put("streamArn", streamArn);
        return Json.compact(json);
    }
}
