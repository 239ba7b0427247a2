package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * The archive's commands through the real ./rr on the embedded backend: what it keeps, a replay killed with
 * SIGKILL and run again (nothing lost, nothing twice), a backfill, a trace, and every bad input as one line
 * with exit 1 and nothing sent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiveIT {
    private static final Stage STAGE = Stage.of("arch");
    private static final int EVENTS = 2000;
    @TempDir
    static Path workDir;
    private static final List<String> sent = new ArrayList<>();

    @BeforeAll
    static void sendTheHistory() {
        StringBuilder script = new StringBuilder("subscribe pages ViewPage\nsubscribe target Nothing\n");
        for (int i = 0; i < EVENTS; i++) {
            script.append("send ViewPage site '{\"user\":\"u").append(i).append("\"}' --partition-key user-").append(i % 7).append('\n');
        }
        RrProcess.Result result = RrProcess.run(workDir, script.toString(), "--stage", STAGE.value());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        result.stdout().lines().filter(line -> line.matches("[0-9a-f-]{36}")).forEach(sent::add);
        assertThat(sent).hasSize(EVENTS);
    }

    @Test
    @Order(1)
    void theArchiveSaysWhatItKeeps() {
        RrProcess.Result archive = rr("archive", "--by-type");
        assertThat(archive.exitCode()).as(archive.stderr()).isZero();
        assertThat(archive.stdout()).contains("archive: " + (EVENTS + 2) + " event(s)", "retention: keep (for ever)",
                "  ViewPage: " + EVENTS, "  RiverSubscribed: 2");
        JsonNode json = Json.parse(rr("--json", "archive").stdout());
        assertThat(json.get("events").asLong()).isEqualTo(EVENTS + 2);
        assertThat(json.get("bytes").asLong()).isGreaterThan(EVENTS * 100L);
    }

    @Test
    @Order(2)
    void aReplayKilledWithSigkillAndRunAgainSendsEveryEventOnce() throws Exception {
        List<String> command = List.of(RrProcess.launcher().toString(), "--stage", STAGE.value(), "replay", "--since", "1h",
                "--type", "ViewPage", "--into", "target", "--rate", "400");
        Process first = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("first-replay.log").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> held("target") >= 500);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int atKill = held("target");
        assertThat(atKill).as("killed in the middle").isBetween(500, EVENTS - 1);

        RrProcess.Result again = rr("replay", "--since", "1h", "--type", "ViewPage", "--into", "target");

        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stderr()).contains("resuming replay 1 into target (" + atKill + " sent before");
        assertThat(again.stdout()).contains("replayed " + EVENTS + " event(s) into target as replay 1 (" + (EVENTS - atKill)
                + " in this run)");
        List<Delivery> delivered = drain("target");
        assertThat(delivered).hasSize(EVENTS).extracting(Delivery::replay).containsOnly(1L);
        List<String> ids = delivered.stream().map(d -> Event.parse(d.body()).id()).toList();
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        assertThat(delivered.stream().map(d -> Event.parse(d.body())).filter(e -> e.partitionKey().equals("user-3"))
                .map(e -> Integer.parseInt(e.payload().get("user").asText().substring(1))).toList())
                .as("one key's events in the order they were sent").isSorted();
        assertThat(held("pages")).as("nothing replayed onto the rapids").isEqualTo(EVENTS);
    }

    @Test
    @Order(3)
    void aBackfilledSubscriptionGetsTheTopicsHistory() {
        RrProcess.Result backfill = rr("subscribe", "late", "ViewPage", "--from", "1h");

        assertThat(backfill.exitCode()).as(backfill.stderr()).isZero();
        assertThat(backfill.stdout()).contains("subscribed late to ViewPage", "backfilled " + EVENTS + " event(s) of ViewPage since");
        assertThat(held("late")).isEqualTo(EVENTS);
    }

    @Test
    @Order(4)
    void aTraceShowsTheChainItsPublishersAndTheRiversEachReached() {
        String root = sent.get(5);
        RrProcess.Result caused = rr("send", "Offer", "brand", "{}", "--causation-id", root, "--correlation-id", root);
        assertThat(caused.exitCode()).as(caused.stderr()).isZero();

        RrProcess.Result trace = rr("trace", caused.stdout().strip());

        assertThat(trace.exitCode()).as(trace.stderr()).isZero();
        List<String> lines = trace.stdout().strip().lines().toList();
        assertThat(lines).hasSize(2);
        // river late was subscribed after the page view: it got it from a backfill, not from the fan-out then
        assertThat(lines.get(0)).startsWith("ViewPage ").contains(" by site", "-> pages  [" + root + "]").doesNotContain("late");
        assertThat(lines.get(1)).startsWith("└─ Offer ").contains(" by brand", " ms", "-> no river");
        JsonNode json = Json.parse(rr("--json", "trace", sent.get(5)).stdout());
        assertThat(json.at("/roots/0/eventId").asText()).isEqualTo(sent.get(5));
        assertThat(json.at("/roots/0/rivers/0").asText()).isEqualTo("pages");
    }

    @Test
    @Order(5)
    void badInputIsOneLineExitOneAndNothingSent() {
        int before = held("target");
        assertOneLine(rr("replay", "--since", "1h", "--into", "missing"), "river 'missing' does not exist");
        assertOneLine(rr("replay", "--since", "1h", "--until", "2h", "--into", "target"), "is not after --since");
        assertOneLine(rr("replay", "--since", "yesterday", "--into", "target"), "--since 'yesterday' is neither a time nor a duration ago");
        assertOneLine(rr("replay", "--since", "1h", "--type", "ViewPages", "--into", "target"),
                "the archive holds no event of type ViewPages (it holds: Offer, RiverSubscribed, ViewPage)");
        assertOneLine(rr("replay", "--since", "2020-01-01T00:00:00Z", "--until", "2020-01-02T00:00:00Z", "--type", "ViewPage",
                "--into", "target"), "nothing archived matches");
        assertOneLine(rr("replay", "--since", "1h", "--into", "target"),
                "the archive holds no event of the types river 'target' is subscribed to (Nothing): nothing sent");
        assertOneLine(rr("replay", "--since", "1h", "--all-types", "--type", "ViewPage", "--into", "target"),
                "--all-types and --type exclude each other");
        assertOneLine(rr("replay", "--since", "1h", "--into", "target", "--rate", "-1"), "--rate must be 0");
        assertOneLine(rr("trace", "no-such-event"), "nothing archived since");
        assertOneLine(rr("subscribe", "pages", "ViewPage", "--from", "1h"), "river 'pages' already receives ViewPage");
        assertOneLine(rr("archive", "--retention", "forever"), "--retention 'forever' is not a retention");
        assertThat(held("target")).as("nothing sent").isEqualTo(before);
    }

    @Test
    @Order(6)
    void aReplayWithoutTypesGivesTheRiverItsOwnTypesOnlyAndAllTypesEveryOneWithAWarning() {
        RrProcess.Result own = rr("replay", "--since", "1h", "--into", "pages");

        assertThat(own.exitCode()).as(own.stderr()).isZero();
        assertThat(own.stdout()).contains("replayed " + EVENTS + " event(s) into pages as replay 2");
        assertThat(drain("pages")).hasSize(2 * EVENTS).allSatisfy(d -> assertThat(Event.parse(d.body()).type().value())
                .isEqualTo("ViewPage"));

        long archived = Json.parse(rr("--json", "archive").stdout()).get("events").asLong();
        RrProcess.Result every = rr("replay", "--since", "1h", "--all-types", "--into", "pages");

        assertThat(every.exitCode()).as(every.stderr()).isZero();
        assertThat(every.stderr()).contains("replaying every type in the window into pages, the stage's own events");
        assertThat(every.stdout()).contains("replayed " + archived + " event(s) into pages as replay 3");
        assertThat(drain("pages")).extracting(d -> Event.parse(d.body()).type().value()).contains("RiverSubscribed", "Offer");
    }

    @Test
    @Order(7)
    void tailShowsTheNewestEventsOneLineEachAndFollowsTheRapids() throws Exception {
        RrProcess.Result tail = rr("tail", "--type", "ViewPage", "-n", "3");

        assertThat(tail.exitCode()).as(tail.stderr()).isZero();
        List<String> lines = tail.stdout().lines().toList();
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(i)).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z  ViewPage  " + sent.get(EVENTS - 3 + i)
                    + "  site  \\{\"user\":\"u" + (EVENTS - 3 + i) + "\"}");
        }
        JsonNode newest = Json.parse(rr("--json", "tail", "-n", "1", "--type", "ViewPage").stdout());
        assertThat(newest.get("eventId").asText()).isEqualTo(sent.get(EVENTS - 1));
        assertThat(newest.at("/payload/user").asText()).isEqualTo("u" + (EVENTS - 1));
        assertThat(rr("tail", "--type", "Nothing").stderr()).contains("no event of Nothing archived since");
        assertOneLine(rr("tail", "-n", "0"), "-n must be 1-10000");

        List<String> follow = List.of(RrProcess.launcher().toString(), "--stage", STAGE.value(), "tail", "--follow", "--type", "Late",
                "-n", "1");
        Path log = workDir.resolve("follow.log");
        Process following = new ProcessBuilder(follow).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(log).contains("following the rapids"));
            String id = "";
            for (int i = 0; i < 2; i++) {
                id = rr("send", "Late", "site", "{\"n\":" + i + "}").stdout().strip();
            }
            String last = id;
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(log).contains(last));
            assertThat(Files.readString(log).lines().filter(line -> line.contains("  Late  ")).count()).isEqualTo(2);
        } finally {
            following.destroy();
            assertThat(following.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void assertOneLine(RrProcess.Result result, String says) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
        List<String> lines = result.stderr().lines().filter(line -> !line.startsWith("stage not specified")).toList();
        assertThat(lines).singleElement().asString().startsWith("error: ").contains(says);
    }

    private static RrProcess.Result rr(String... args) {
        List<String> all = new ArrayList<>(List.of("--stage", STAGE.value()));
        all.addAll(List.of(args));
        return RrProcess.run(workDir, null, all.toArray(String[]::new));
    }

    private static int held(String river) {
        try (EmbeddedBackend backend = EmbeddedBackend.open(workDir.resolve(".rapids"), STAGE)) {
            return backend.messagesHeld(RiverName.of(river));
        }
    }

    private static List<Delivery> drain(String river) {
        List<Delivery> all = new ArrayList<>();
        Set<String> receipts = new HashSet<>();
        try (EmbeddedBackend backend = EmbeddedBackend.open(workDir.resolve(".rapids"), STAGE)) {
            while (true) {
                List<Delivery> batch = backend.rivers().receive(RiverName.of(river), 10, Duration.ZERO, Duration.ofMinutes(5));
                if (batch.isEmpty()) {
                    return all;
                }
                batch.forEach(d -> assertThat(receipts.add(d.receipt())).isTrue());
                all.addAll(batch);
            }
        }
    }
}
