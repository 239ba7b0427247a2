package org.rapidsrivers.aws.rivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.PlaneDeadLetter;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.plane.StreamRecord;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Understands a plane's dead-letter destination as an SQS queue ({@code rrsys-<stage>-fanout-dlq} or
 * {@code -control-dlq}): one message per record given up on, with the reason, where it came from, and
 * the record itself (as text when it is UTF-8 that SQS accepts, else base64; cut to fit SQS's 256 KiB);
 * and how such a message reads back.
 */
public final class SqsDeadLetters implements DeadLetters {
    /**
     * The most a dead letter's body may be, in bytes of UTF-8 as SQS counts them: SQS's 256 KiB, less room
     * for the message's attributes. The record's data is cut (never the rest) until the whole body fits.
     */
    static final int MAX_BODY_BYTES = 256 * 1024 - 1024;

    private final SqsClient sqs;
    private final RiverQueues queues;
    private final String queueName;
    private final String source;
    private final Stage stage;
    private final Clock clock;

    public SqsDeadLetters(SqsClient sqs, RiverQueues queues, String queueName, String source, Stage stage, Clock clock) {
        this.sqs = sqs;
        this.queues = queues;
        this.queueName = queueName;
        this.source = source;
        this.stage = stage;
        this.clock = clock;
    }

    @Override
    public void bury(StreamRecord record, String reason) {
        String url = queues.urlOf(queueName).orElseThrow(() -> new BackendUnavailable(
                "SQS queue " + queueName + " does not exist: run make deploy or rr provision for stage " + stage));
        PlaneLog.of(stage.value(), source).deadLettered(record, reason);
        String body = Json.compact(describe(record, reason));
        AwsErrors.call("sqs:SendMessage", "SQS queue " + queueName, stage.value(),
                () -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)));
    }

    ObjectNode describe(StreamRecord record, String reason) {
        var json = Json.object();
        json.put("reason", reason);
        json.put("source", source);
        json.put("shardId", record.shardId());
        json.put("sequenceNumber", record.sequenceNumber());
        json.put("partitionKey", record.partitionKey());
        json.put("buriedAt", Timestamps.format(clock.instant()));
        String text = textOrNull(record.data());
        String data = text != null ? text : Base64.getEncoder().encodeToString(record.data());
        json.put("dataEncoding", text != null ? "utf-8" : "base64");
        json.put("truncated", false);
        json.put("data", data);
        // escapes and multi-byte characters make the body larger than the data's length: cut by what SQS counts
        int keep = data.length();
        while (bytes(json) > MAX_BODY_BYTES && keep > 0) {
            long over = bytes(json) - MAX_BODY_BYTES;
            keep = Math.max(0, keep - (int) Math.max(1, Math.min(keep, over)));
            if (keep > 0 && Character.isHighSurrogate(data.charAt(keep - 1))) {
                keep--;
            }
            json.put("data", data.substring(0, keep));
            json.put("truncated", true);
        }
        return json;
    }

    private static int bytes(ObjectNode json) {
        return Json.compact(json).getBytes(StandardCharsets.UTF_8).length;
    }

    /** One message of this shape read back, as an operator sees it; {@code sent} when it says no time. */
    public static PlaneDeadLetter read(String id, Plane plane, JsonNode body, Instant sent) {
        return new PlaneDeadLetter(id, plane, body.path("reason").asText(), body.path("shardId").asText(),
                body.path("sequenceNumber").asText(), body.path("partitionKey").asText(),
                body.hasNonNull("buriedAt") ? Instant.parse(body.path("buriedAt").asText()) : sent,
                Optional.ofNullable(body.path("data").textValue()), body.path("dataEncoding").asText("utf-8"),
                body.path("truncated").asBoolean(false));
    }

    /** The data as text, if it is valid UTF-8 made only of characters SQS accepts in a message. */
    private static String textOrNull(byte[] data) {
        String text = StreamRecord.utf8OrNull(data);
        boolean allowed = text != null && text.codePoints().allMatch(c -> c == 0x9 || c == 0xA || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF));
        return allowed ? text : null;
    }
}
