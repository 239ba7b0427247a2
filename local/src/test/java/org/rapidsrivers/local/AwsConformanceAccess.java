package org.rapidsrivers.local;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.local.kinesis.HostedAwsBackend;
import software.amazon.awssdk.services.sqs.model.Message;

/** Understands how a test reads what the fan-out gave up on, straight from the stage's dead-letter queue in SQS. */
final class AwsConformanceAccess {
    private AwsConformanceAccess() {
    }

    static List<String> fanOutDeadLetters(HostedAwsBackend backend, Stage stage) {
        var sqs = backend.aws().clients().sqs();
        String url = sqs.getQueueUrl(b -> b.queueName(stage.fanOutDeadLetterQueue())).queueUrl();
        List<String> found = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(0)).messages();
            messages.forEach(m -> {
                var json = Json.parse(m.body());
                found.add(json.path("reason").asText() + " :: " + json.path("data").asText());
            });
            if (!found.isEmpty()) {
                break;
            }
        }
        return found;
    }
}
