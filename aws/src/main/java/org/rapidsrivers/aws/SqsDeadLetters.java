package org.rapidsrivers.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Base64;
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
    private static final int MAX_DATA_CHARS = 200 * 1024;

    private final SqsClient sqs;
    private final RiverQueues queues;
    private final String queueName;
    private final String source;
    private final Stage stage;
    private final Clock clock;

    SqsDeadLetters(SqsClient sqs, RiverQueues queues, String queueName, String source, Stage stage, Clock clock) {
        this.sqs = sqs;
        this.queues = queues;
        this.queueName = queueName;
        this.source = source;
        this.stage = stage;
        this.clock = clock;
    }

    @Override
    public void bury(StreamRecord record, String reason) {
        String url = queues.urlOf(queueName).orElseThrow(() -> new org.rapidsrivers.core.BackendUnavailable(
                "SQS queue " + queueName + " does not exist: run make deploy or rr provision for stage " + stage));
        PlaneLog.of(stage.value(), source).deadLettered(record, reason);
        String body = Json.compact(describe(record, reason));
        AwsErrors.call("sqs:SendMessage", "SQS queue " + queueName, stage.value(),
                () -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)));
    }

    private com.fasterxml.jackson.databind.node.ObjectNode describe(StreamRecord record, String reason) {
        var json = Json.object();
        json.put("reason", reason);
        json.put("source", source);
        json.put("shardId", record.shardId());
        json.put("sequenceNumber", record.sequenceNumber());
        json.put("partitionKey", record.partitionKey());
        json.put("buriedAt", Timestamps.format(clock.instant()));
        String text = textOrNull(record.data());
        if (text != null) {
            json.put("dataEncoding", "utf-8");
            json.put("data", text.length() > MAX_DATA_CHARS ? text.substring(0, MAX_DATA_CHARS) : text);
        } else {
            String base64 = Base64.getEncoder().encodeToString(record.data());
            json.put("dataEncoding", "base64");
            json.put("data", base64.length() > MAX_DATA_CHARS ? base64.substring(0, MAX_DATA_CHARS) : base64);
        }
        json.put("truncated", record.data().length > MAX_DATA_CHARS);
        return json;
    }

    /** One message of this shape read back, as an operator sees it; {@code sent} when it says no time. */
    static PlaneDeadLetter read(Plane plane, JsonNode body, Instant sent) {
        return new PlaneDeadLetter(plane, body.path("reason").asText(), body.path("shardId").asText(),
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
