package org.rapidsrivers.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import software.amazon.awssdk.services.sqs.model.Message;

/** Understands how a test reads what the fan-out gave up on, straight from the stage's dead-letter queue in SQS. */
final class AwsConformanceAccess {
    private AwsConformanceAccess() {
    }

    /** A dead letter as "reason :: data", the data read as the embedded backend shows it (lenient UTF-8). */
    static String describe(String body) {
        var json = Json.parse(body);
        String data = json.path("data").asText();
        if ("base64".equals(json.path("dataEncoding").asText())) {
            data = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
        }
        return json.path("reason").asText() + " :: " + data;
    }

    /** The fan-out dead-letter queue's messages as JSON, read without deleting them. */
    static List<JsonNode> onFailureRecords(AwsBackend backend, Stage stage) {
        var sqs = backend.clients().sqs();
        String url = sqs.getQueueUrl(b -> b.queueName(stage.fanOutDeadLetterQueue())).queueUrl();
        List<JsonNode> found = new ArrayList<>();
        for (int round = 0; round < 10 && found.isEmpty(); round++) {
            sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(0))
                    .messages().forEach(m -> found.add(Json.parse(m.body())));
        }
        return found;
    }

    static List<String> fanOutDeadLetters(AwsBackend backend, Stage stage) {
        var sqs = backend.clients().sqs();
        String url = sqs.getQueueUrl(b -> b.queueName(stage.fanOutDeadLetterQueue())).queueUrl();
        List<String> found = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(0)).messages();
            messages.forEach(m -> {
                found.add(describe(m.body()));
            });
            if (!found.isEmpty()) {
                break;
            }
        }
        return found;
    }
}
