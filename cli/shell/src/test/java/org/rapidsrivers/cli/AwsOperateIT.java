package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.testing.MotoExtension;
import org.rapidsrivers.hosts.aws.OnFailureRecord;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The operator's commands on the AWS backend against moto, with the planes hosted by the commands
 * that need them; and a redrive killed with SIGKILL in the middle, then run again: nothing lost, and at
 * most the one batch whose send was in flight twice.
 */
class AwsOperateIT extends OperateScenario {
    private static final Stage STAGE = Stage.of("ops");

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();

    @BeforeEach
    void provision() {
        // a fresh moto per class: each test's stage starts empty
        try (AwsBackend aws = backend()) {
            aws.clients().sqs().listQueues().queueUrls().forEach(url -> aws.clients().sqs().deleteQueue(b -> b.queueUrl(url)));
        }
        ok(RrProcess.run(workDir, null, withOptions(List.of("provision", "--shards", "1"))));
    }

    @Override
    RrProcess.Result rr(String... args) {
        List<String> all = new ArrayList<>(List.of("--host-planes"));
        all.addAll(List.of(args));
        return RrProcess.run(workDir, null, withOptions(all));
    }

    @Override
    RrProcess.Result script(String lines) {
        return RrProcess.run(workDir, lines, withOptions(List.of("--host-planes")));
    }

    private String[] withOptions(List<String> args) {
        List<String> all = new ArrayList<>(options());
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    @Override
    List<String> options() {
        return List.of("--backend", "aws", "--emulator", "--endpoint-url", moto.endpoint().toString(), "--stage", STAGE.value());
    }

    @Override
    List<String> hostingOptions() {
        List<String> all = new ArrayList<>(options());
        all.add("--host-planes");
        return all;
    }

    @Override
    AwsBackend backend() {
        return AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true));
    }

    @Override
    void putRawOnRapids(String partitionKey, byte[] data) {
        try (AwsBackend aws = backend()) {
            aws.clients().kinesis().putRecord(b -> b.streamName(STAGE.rapidsStream()).partitionKey(partitionKey)
                    .data(SdkBytes.fromByteArray(data)));
        }
    }

    /** The record goes on the control stream, and the on-failure record a mapping sends for it into the plane's queue. */
    @Override
    void giveUpOnAControlRecord(String partitionKey, byte[] data) {
        try (AwsBackend aws = backend()) {
            var kinesis = aws.clients().kinesis();
            String stream = STAGE.controlStream();
            var put = kinesis.putRecord(b -> b.streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)));
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(put.shardId())
                    .shardIteratorType("AT_SEQUENCE_NUMBER").startingSequenceNumber(put.sequenceNumber())).shardIterator();
            var record = kinesis.getRecords(b -> b.shardIterator(iterator).limit(1)).records().get(0);
            String arn = kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN();
            String body = OnFailureRecord.of(arn, "control-plane", new StreamRecord(put.shardId(), record.sequenceNumber(), record.partitionKey(), record.data().asByteArray(), record.approximateArrivalTimestamp()), 4, Instant.now());
            String url = aws.clients().sqs().getQueueUrl(b -> b.queueName(STAGE.controlDeadLetterQueue())).queueUrl();
            aws.clients().sqs().sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
    }

    @Test
    void aRedriveKilledInTheMiddleAndRunAgainLosesNothingAndRepeatsAtMostTheBatchInFlight() throws Exception {
        RiverName big = RiverName.of("big");
        ok(rr("subscribe", "big", "Bulk"));
        List<String> ids = new ArrayList<>();
        try (AwsBackend aws = backend()) {
            var sqs = aws.clients().sqs();
            String dlq = sqs.getQueueUrl(b -> b.queueName(STAGE.riverDeadLetterQueue(big))).queueUrl();
            for (int batch = 0; batch < 40; batch++) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    Event event = Event.builder(Topic.of("Bulk"), "bulk", Json.object().put("n", batch * 10 + i)).build();
                    ids.add(event.id());
                    entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(event.toJson()).build());
                }
                sqs.sendMessageBatch(b -> b.queueUrl(dlq).entries(entries));
            }
        }
        List<String> command = new ArrayList<>(List.of(RrProcess.launcher().toString()));
        command.addAll(options());
        command.addAll(List.of("redrive", "big"));
        Process redrive = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        try (AwsBackend aws = backend()) {
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20)).until(() -> aws.operations().river(big).visible() >= 50);
            new ProcessBuilder("kill", "-9", Long.toString(redrive.pid())).start().waitFor();
            assertThat(redrive.waitFor(30, TimeUnit.SECONDS)).isTrue();
            var killedAt = aws.operations().river(big);
            assertThat(killedAt.visible()).as("killed in the middle").isBetween(50L, (long) ids.size() - 1);
            assertThat(Files.exists(workDir.resolve(".rapids").resolve("redrive-rr-ops-big-dlq.journal")))
                    .as("the journal of what was sent survives the kill").isTrue();
        }

        RrProcess.Result again = ok(RrProcess.run(workDir, null, withOptions(List.of("redrive", "big"))));

        assertThat(again.stdout()).startsWith("moved ");
        try (AwsBackend aws = backend()) {
            assertThat(aws.operations().river(big).deadLettered()).as(again.stdout()).isZero();
            List<Delivery> back = drain(aws, big);
            Map<String, Integer> counts = counted(back.stream().map(d -> Event.parse(d.body()).id()).toList());
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            // standard SQS cannot tell whether a send that was in flight when the process died went through:
            // at most that one batch of ten comes twice (the River API skips it by eventId); the rest once
            assertThat(counts.values()).allMatch(n -> n <= 2);
            assertThat(counts.values().stream().filter(n -> n == 2).count()).as("messages twice").isLessThanOrEqualTo(10);
        }
        assertThat(Files.exists(workDir.resolve(".rapids").resolve("redrive-rr-ops-big-dlq.journal")))
                .as("forgotten once the queue is empty").isFalse();
    }
}
