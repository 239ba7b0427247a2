package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.testing.MotoExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The archive's commands through the real ./rr on the AWS path, against moto: the host writes the archive
 * in S3 as the delivery stream would, a replay killed with SIGKILL and run again sends every event (at most
 * one batch twice, which the River API skips), a backfill, a trace and the archive's numbers.
 */
class AwsArchiveIT {
    private static final int EVENTS = 200;

    @TempDir
    Path workDir;

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();

    @Test
    void replayResumesAfterSigkillAndTheOtherCommandsWork() throws Exception {
        assertThat(rr(null, "provision", "--shards", "2").stdout()).contains("made archive bucket rr-arch-archive-");
        StringBuilder script = new StringBuilder("subscribe pages ViewPage\nsubscribe target Nothing\n");
        for (int i = 0; i < EVENTS; i++) {
            script.append("send ViewPage site '{\"user\":\"u").append(i).append("\"}'\n");
        }
        // six events of 200 KB: more than SendMessageBatch's 1 MiB in one batch of ten, as a replay and a backfill send them
        script.append("subscribe big Large\n");
        for (int i = 0; i < 6; i++) {
            script.append("send Large site '{\"n\":").append(i).append(",\"filler\":\"").append("x".repeat(200_000)).append("\"}'\n");
        }
        RrProcess.Result sending = rr(script.toString(), "--host-planes");
        assertThat(sending.exitCode()).as(sending.stderr()).isZero();
        List<String> ids = sending.stdout().lines().filter(line -> line.matches("[0-9a-f-]{36}")).toList();
        assertThat(ids).hasSize(EVENTS + 6);
        List<String> sent = ids.subList(0, EVENTS);
        List<String> large = ids.subList(EVENTS, EVENTS + 6);

        RrProcess.Result archive = rr(null, "archive", "--by-type");
        assertThat(archive.exitCode()).as(archive.stderr()).isZero();
        assertThat(archive.stdout()).contains("where: s3://rr-arch-archive-", "  ViewPage: " + EVENTS);

        // a note that is no note of rr's (written by hand, cut short) stops no replay; the next generation counts it
        try (AwsBackend aws = aws(); var s3 = aws.clients().configured(S3Client.builder(), "s3")
                .forcePathStyle(true).build()) {
            String bucket = s3.listBuckets().buckets().stream().map(b -> b.name()).filter(n -> n.startsWith("rr-arch-archive-"))
                    .findFirst().orElseThrow();
            s3.putObject(b -> b.bucket(bucket).key("replays/7.json"), RequestBody.fromString("{\"gen"));
        }

        List<String> replay = new ArrayList<>(options());
        replay.addAll(0, List.of(RrProcess.launcher().toString()));
        // at 25 a second the second batch of 100 waits 8 s: room to see the first and kill before the end, on a busy machine too
        replay.addAll(List.of("replay", "--since", "1h", "--type", "ViewPage", "--into", "target", "--rate", "25"));
        Process first = new ProcessBuilder(replay).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("first-replay.log").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> depth("target") >= 100);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        RrProcess.Result again = rr(null, "replay", "--since", "1h", "--type", "ViewPage", "--into", "target");

        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.errors()).contains("resuming replay ");
        assertThat(again.stdout()).contains("replayed " + EVENTS + " event(s) into target as replay ");
        List<Delivery> delivered = drain("target");
        assertThat(delivered.stream().map(d -> Event.parse(d.body()).id()).distinct().toList())
                .as("nothing lost").containsExactlyInAnyOrderElementsOf(sent);
        assertThat(delivered.size()).as("at most the batch in flight twice").isLessThanOrEqualTo(EVENTS + 100);
        assertThat(delivered).extracting(Delivery::replay).as("marked as one replay").hasSameSizeAs(delivered)
                .containsOnly(8L);

        RrProcess.Result trace = rr(null, "trace", sent.get(7));
        assertThat(trace.exitCode()).as(trace.stderr()).isZero();
        assertThat(trace.stdout()).startsWith("ViewPage ").contains(" by site", "-> pages", "[" + sent.get(7) + "]");

        RrProcess.Result backfill = rr(null, "--host-planes", "subscribe", "late", "ViewPage", "--from", "1h", "--seam", "0s");
        assertThat(backfill.exitCode()).as(backfill.stderr()).isZero();
        assertThat(backfill.stdout()).contains("backfilled " + EVENTS + " event(s) of ViewPage since");
        assertThat(drain("late").stream().map(d -> Event.parse(d.body()).id()).distinct().toList()).containsExactlyInAnyOrderElementsOf(sent);

        RrProcess.Result tail = rr(null, "tail", "--type", "ViewPage", "-n", "2");
        assertThat(tail.exitCode()).as(tail.stderr()).isZero();
        List<String> tailed = tail.stdout().lines().toList();
        assertThat(tailed).hasSize(2).allMatch(line -> line.contains("  ViewPage  ") && line.contains("  site  {\"user\":\"u"))
                .allMatch(line -> sent.stream().anyMatch(line::contains));

        assertThat(drain("big")).hasSize(6);
        RrProcess.Result largeReplay = rr(null, "replay", "--since", "1h", "--into", "big");
        assertThat(largeReplay.exitCode()).as(largeReplay.stderr()).isZero();
        assertThat(largeReplay.stdout()).contains("replayed 6 event(s) into big");
        assertThat(drain("big").stream().map(d -> Event.parse(d.body()).id()).toList()).containsExactlyInAnyOrderElementsOf(large);
        RrProcess.Result largeBackfill = rr(null, "--host-planes", "subscribe", "big2", "Large", "--from", "1h", "--seam", "0s");
        assertThat(largeBackfill.exitCode()).as(largeBackfill.stderr()).isZero();
        assertThat(largeBackfill.stdout()).contains("backfilled 6 event(s) of Large since");
        assertThat(drain("big2").stream().map(d -> Event.parse(d.body()).id()).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(large);
    }

    private List<String> options() {
        return List.of("--backend", "aws", "--emulator", "--endpoint-url", moto.endpoint().toString(), "--stage", "arch");
    }

    private RrProcess.Result rr(String stdin, String... args) {
        List<String> all = new ArrayList<>(options());
        all.addAll(List.of(args));
        return RrProcess.run(workDir, stdin, all.toArray(String[]::new));
    }

    private AwsBackend aws() {
        return AwsBackend.open(AwsSettings.of(Stage.of("arch")).withEndpoint(moto.endpoint()).asEmulator(true));
    }

    private int depth(String river) {
        try (AwsBackend aws = aws()) {
            return aws.rivers().depth(RiverName.of(river));
        }
    }

    private List<Delivery> drain(String river) {
        List<Delivery> all = new ArrayList<>();
        try (AwsBackend aws = aws()) {
            while (true) {
                List<Delivery> batch = aws.rivers().receive(RiverName.of(river), 10, Duration.ofSeconds(1), Duration.ofMinutes(5));
                if (batch.isEmpty()) {
                    return all;
                }
                aws.rivers().delete(RiverName.of(river), batch);
                all.addAll(batch);
            }
        }
    }
}
