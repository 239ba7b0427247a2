package org.rapidsrivers.hosts;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.aws.provision.AwsProvisioner;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.hosts.aws.ArchiveLayout;
import org.rapidsrivers.hosts.aws.AwsPlaneHosts;
import org.rapidsrivers.hosts.aws.OnFailureRecord;
import org.rapidsrivers.hosts.aws.S3Archive;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Understands how the conformance suite runs on an AWS-compatible endpoint: a provisioned stage, the
 * AWS backend with its planes hosted here, and the dead-letter queues read straight from SQS.
 */
abstract class AwsConformance extends BackendConformance {
    private static AwsBackend backend;
    private static PlaneHost planes;
    private static final List<String> seenDeadLetters = new ArrayList<>();

    static void openStage(URI endpoint, String stageName) {
        openStage(AwsSettings.of(Stage.of(stageName)).withEndpoint(endpoint).asEmulator(true));
    }

    static void openStage(AwsSettings settings) {
        backend = AwsBackend.open(settings);
        new AwsProvisioner(backend.clients(), settings).provision(2);
        S3Archive.provision(backend);
        planes = AwsPlaneHosts.startOn(backend, HostSettings.kinesis().withRetryBackoff(Duration.ofMillis(50)), null);
    }

    static void closeStage() {
        if (planes != null) {
            planes.close();
        }
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
        backend.clients().kinesis().putRecord(b -> b.streamName(backend.settings().rapidsStream())
                .partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)));
    }

    @Override
    protected List<String> fanOutDeadLetters() {
        return planeDeadLetters();
    }

    /** The record goes on the control stream, and an on-failure record naming it into the control plane's queue. */
    @Override
    protected void giveUpOnAControlRecord(String partitionKey, byte[] data, String failure) {
        var kinesis = backend.clients().kinesis();
        String stream = backend.settings().controlStream();
        var put = kinesis.putRecord(b -> b.streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)));
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(put.shardId())
                .shardIteratorType("AT_SEQUENCE_NUMBER").startingSequenceNumber(put.sequenceNumber())).shardIterator();
        var record = kinesis.getRecords(b -> b.shardIterator(iterator).limit(1)).records().get(0);
        String arn = kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN();
        StreamRecord given = new StreamRecord(put.shardId(), record.sequenceNumber(), record.partitionKey(),
                record.data().asByteArray(), record.approximateArrivalTimestamp());
        // as the handler does when it fails the record (LambdaKinesis), then as the mapping does when it gives up
        backend.failureNotes().note("control-plane", given, failure);
        String body = OnFailureRecord.of(arn, "control-plane", given, 4, Instant.now());
        String url = sqsUrl(backend.stage().controlDeadLetterQueue());
        backend.clients().sqs().sendMessage(b -> b.queueUrl(url).messageBody(body));
    }

    @Override
    protected Archive archive() {
        return new S3Archive(backend, Duration.ofSeconds(2));
    }

    @Override
    protected boolean riversKeepOrder() {
        return false;
    }

    @Override
    protected boolean agesMessages() {
        return false;
    }

    @Override
    protected boolean exactSeam() {
        return false;
    }

    @Override
    protected int movedToDeadLetterQueue(RiverName river) {
        return deadLetterQueueDepth(river);
    }

    /** Every dead letter the fan-out has sent so far: reason and data, as SQS holds them. */
    static List<String> planeDeadLetters() {
        String url = sqsUrl(backend.stage().fanOutDeadLetterQueue());
        List<Message> messages = backend.clients().sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(1)).messages();
        for (Message message : messages) {
            seenDeadLetters.add(AwsConformanceAccess.describe(message.body()));
            backend.clients().sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
        }
        return List.copyOf(seenDeadLetters);
    }

    /**
     * rr status asks the archive only for its two ends, not for every object: they are the ends every object
     * gives, with objects days apart and empty days between (put here, taken away after).
     */
    @org.junit.jupiter.api.Test
    void theArchivesEndsAreFoundWithoutListingEveryObject() {
        var s3 = S3Archive.client(backend);
        String bucket = S3Archive.bucketOf(backend);
        Instant now = Instant.now();
        List<String> planted = List.of(ArchiveLayout.hourPrefix(now.minus(Duration.ofDays(40))) + "old",
                ArchiveLayout.hourPrefix(now.minus(Duration.ofDays(3))) + "a", ArchiveLayout.hourPrefix(now.minus(Duration.ofDays(3)))
                        + "b", ArchiveLayout.hourPrefix(now.minus(Duration.ofDays(2).plusHours(5))) + "newer");
        planted.forEach(key -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{}\n")));
        try {
            S3Archive archive = new S3Archive(backend, Duration.ZERO);
            var everything = archive.summary(true);
            var ends = archive.summary(false);

            Assertions.assertThat(everything.oldest()).contains(ArchiveLayout.hourOf(planted.get(0)));
            Assertions.assertThat(ends.oldest()).isEqualTo(everything.oldest());
            Assertions.assertThat(ends.newest()).isPresent().isEqualTo(everything.newest());
            Assertions.assertThat(ends.bytes()).as("not counted").isEqualTo(-1);
            Assertions.assertThat(everything.bytes()).isGreaterThanOrEqualTo(planted.size() * 3L);
        } finally {
            planted.forEach(key -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        }
    }

    static int deadLetterQueueDepth(RiverName river) {
        String url = sqsUrl(backend.stage().riverDeadLetterQueue(river));
        return Integer.parseInt(backend.clients().sqs().getQueueAttributes(b -> b.queueUrl(url)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages"));
    }

    private static String sqsUrl(String queue) {
        return backend.clients().sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }
}
