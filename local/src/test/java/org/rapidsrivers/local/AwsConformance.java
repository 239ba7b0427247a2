package org.rapidsrivers.local;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsProvisioner;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.local.kinesis.HostedAwsBackend;
import org.rapidsrivers.local.kinesis.KinesisHostSettings;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Understands how the conformance suite runs on an AWS-compatible endpoint: a provisioned stage, the
 * AWS backend with its planes hosted here, and the dead-letter queues read straight from SQS.
 */
abstract class AwsConformance extends BackendConformance {
    private static HostedAwsBackend backend;
    private static final List<String> seenDeadLetters = new ArrayList<>();

    static void openStage(URI endpoint, String stageName) {
        AwsSettings settings = AwsSettings.of(Stage.of(stageName)).withEndpoint(endpoint);
        AwsBackend aws = AwsBackend.open(settings);
        new AwsProvisioner(aws.clients(), settings).provision(2);
        backend = new HostedAwsBackend(aws, KinesisHostSettings.defaults().withRetryBackoff(Duration.ofMillis(50)));
        backend.hostPlanes();
    }

    static void closeStage() {
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    protected Backend backend() {
        return backend;
    }

    @Override
    protected void putRawOnRapids(String partitionKey, byte[] data) {
        backend.aws().clients().kinesis().putRecord(b -> b.streamName(backend.aws().settings().rapidsStream())
                .partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)));
    }

    @Override
    protected List<String> fanOutDeadLetters() {
        return planeDeadLetters();
    }

    @Override
    protected int movedToDeadLetterQueue(RiverName river) {
        return deadLetterQueueDepth(river);
    }

    /** Every dead letter the fan-out has sent so far: reason and data, as SQS holds them. */
    static List<String> planeDeadLetters() {
        String url = sqsUrl(backend.stage().fanOutDeadLetterQueue());
        List<Message> messages = backend.aws().clients().sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(1)).messages();
        for (Message message : messages) {
            seenDeadLetters.add(AwsConformanceAccess.describe(message.body()));
            backend.aws().clients().sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
        }
        return List.copyOf(seenDeadLetters);
    }

    static int deadLetterQueueDepth(RiverName river) {
        String url = sqsUrl(backend.stage().riverDeadLetterQueue(river));
        return Integer.parseInt(backend.aws().clients().sqs().getQueueAttributes(b -> b.queueUrl(url)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages"));
    }

    private static String sqsUrl(String queue) {
        return backend.aws().clients().sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }
}
