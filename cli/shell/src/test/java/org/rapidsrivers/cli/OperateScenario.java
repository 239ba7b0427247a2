package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.testing.CompiledJar;

/**
 * The operator's commands through the real ./rr, against a stage the test has put in a state worth
 * looking at: a river with messages waiting, in flight and dead-lettered, a poison record in each plane,
 * a stalled fan-out, two real services that started and stopped. The same on every backend.
 */
abstract class OperateScenario {
    static final RiverName ORDERS = RiverName.of("orders");

    @TempDir
    Path workDir;

    /** rr with this backend's global options (the planes hosted by the command where the backend needs that). */
    abstract RrProcess.Result rr(String... args);

    /**
     * The same, with the commands of a script on standard input: one process for steps that only set the
     * stage up (each JVM start on the AWS backend costs about 2.5 s of CPU), one-shot where the output matters.
     */
    abstract RrProcess.Result script(String lines);

    /** The global options of this backend, for processes the test starts itself. */
    abstract List<String> options();

    /** The global options for a process that must run the planes itself (a service). */
    List<String> hostingOptions() {
        return options();
    }

    /** The stage, opened in the test's own process without hosting its planes. */
    abstract Backend backend();

    abstract void putRawOnRapids(String partitionKey, byte[] data);

    /** Makes the control plane's dead letters hold this record, as its host does when it gives up on it. */
    abstract void giveUpOnAControlRecord(String partitionKey, byte[] data);

    @Test
    void aUserCanSeeWhatIsStuckWhereItWentWhoTalksToWhomAndPutItBack() throws Exception {
        ok(script("subscribe orders OrderPlaced\nadvertise Lonely\n"));
        startAndStop("membership");
        startAndStop("brand");
        String sends = ok(script("send OrderPlaced shop '{\"order\":0}'\nsend OrderPlaced shop '{\"order\":1}'\n"
                + "send OrderPlaced shop '{\"order\":2}'\n")).stdout();
        List<String> sent = sends.lines().filter(line -> !line.startsWith("cmd> ")).toList();
        assertThat(sent).hasSize(3);
        // six receives without a delete: the sixth moves each to orders-dlq
        ok(script("readfrom orders --peek --max 10\n".repeat(6)));
        ok(script("send OrderPlaced shop '{\"order\":3}'\nsend OrderPlaced shop '{\"order\":4}'\n"));
        putRawOnRapids("poison", "not json at all".getBytes(StandardCharsets.UTF_8));
        giveUpOnAControlRecord("poison", "a command nobody could apply".getBytes(StandardCharsets.UTF_8));
        ok(rr("send", "OrderPlaced", "shop", "{\"order\":5}"));
        // a command that waits for the control plane hosts the planes, and they catch up before it ends
        ok(rr("subscribe", "orders", "OrderPlaced"));
        try (Backend backend = backend()) {
            // one message held by a reader that has not finished with it
            awaitVisible(backend, 3);
            assertThat(backend.rivers().receive(ORDERS, 1, Duration.ofSeconds(5), Duration.ofMinutes(5))).hasSize(1);
            // and the fan-out stops: nothing hosts the planes while these arrive
            backend.rapids().publish(Event.builder(Topic.of("OrderPlaced"), "shop", Json.object()).build());
            backend.rapids().publish(Event.builder(Topic.of("OrderPlaced"), "shop", Json.object()).build());
        }

        // is anything stuck?
        JsonNode status = Json.parse(ok(rr("--json", "status")).stdout());
        JsonNode orders = riverIn(status, "orders");
        assertThat(orders.get("topics").toString()).isEqualTo("[\"OrderPlaced\"]");
        assertThat(orders.get("deadLettered").asLong()).isEqualTo(3);
        assertThat(orders.get("inFlight").asLong()).isEqualTo(1);
        assertThat(orders.get("visible").asLong()).isEqualTo(2);
        long behind = 0;
        for (JsonNode stream : status.get("streams")) {
            if (stream.get("consumer").asText().equals("data-plane")) {
                behind += stream.get("recordsBehind").asLong();
            }
        }
        assertThat(behind).as("the fan-out is two records behind").isEqualTo(2);
        assertThat(status.at("/planes/fanout/deadLetters").asLong()).isEqualTo(1);
        assertThat(status.at("/planes/control/deadLetters").asLong()).isEqualTo(1);
        assertThat(status.at("/planes/fanout/processed").asLong()).isPositive();
        List<String> services = new ArrayList<>();
        status.get("services").forEach(s -> services.add(s.get("service").asText() + "@" + s.get("river").asText()));
        assertThat(services).contains("brand@brand", "membership@membership");
        // each stopped by SIGTERM, and said so: one row each, stopped, with its own counters
        status.get("services").forEach(s -> {
            if (List.of("brand", "membership").contains(s.get("service").asText())) {
                assertThat(s.get("instances")).singleElement()
                        .satisfies(i -> assertThat(i.get("state").asText()).isEqualTo("stopped"));
            }
        });
        assertThat(status.get("stuck").toString()).contains("river orders has 3 dead-lettered message(s)",
                "the fanout plane gave up on 1 message(s)", "the control plane gave up on 1 message(s)");
        String table = ok(rr("status", "orders")).stdout();
        assertThat(table).containsPattern("orders +OrderPlaced +2 +1 +3 ")
                .contains("stuck: river orders has 3 dead-lettered message(s)")
                .as("focused on orders: its river and what is stuck about it only")
                .doesNotContain("STREAM").doesNotContain("plane gave up").doesNotContain("membership");
        assertThat(Json.parse(ok(rr("--json", "status", "orders")).stdout()).get("rivers")).hasSize(1);

        // where did it go?
        String fanOut = ok(rr("deadletters", "--plane", "fanout")).stdout();
        assertThat(fanOut).contains("malformed JSON").contains("not json at all");
        JsonNode control = Json.parse(ok(rr("--json", "deadletters", "--plane", "control")).stdout());
        assertThat(control.get("data").asText()).isEqualTo("a command nobody could apply");
        assertThat(control.get("redrivable").asBoolean()).isTrue();
        List<String> dead = eventIds(ok(rr("--json", "readfrom", "orders", "--dlq")).stdout());
        assertThat(dead).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(eventIds(ok(rr("--json", "readfrom", "orders", "--dlq")).stdout())).as("looking takes nothing")
                .containsExactlyInAnyOrderElementsOf(sent);

        // who talks to whom?
        JsonNode topology = Json.parse(ok(rr("topology", "--format", "json")).stdout());
        List<String> edges = new ArrayList<>();
        topology.get("edges").forEach(e -> edges.add(e.get("from").asText() + " -> " + e.get("to").asText()));
        assertThat(edges).contains("domain:shop -> topic:OrderPlaced", "topic:OrderPlaced -> river:orders",
                "river:membership -> service:membership", "service:brand -> topic:Offer");
        assertThat(topology.get("flags").toString()).contains("topic Lonely is advertised but no river consumes it");
        assertThat(ok(rr("topology", "--format", "mermaid")).stdout()).startsWith("flowchart LR\n").contains("[(\"orders\")]");
        assertThat(ok(rr("topology", "--format", "dot")).stdout()).startsWith("digraph rapids {")
                .contains("\"river:orders\" [label=\"orders\", shape=cylinder]");
        assertThat(ok(rr("topology")).stdout()).contains("topic OrderPlaced flows into river orders",
                "flag: topic Lonely is advertised but no river consumes it");

        // put it back
        assertThat(ok(rr("redrive", "orders")).stdout()).isEqualTo("moved 3 message(s) from orders-dlq back into river orders\n");
        assertThat(ok(rr("redrive", "--plane", "control")).stdout()).startsWith("put 1 dead letter(s) of the control plane back");
        JsonNode after = Json.parse(ok(rr("--json", "status", "orders")).stdout());
        assertThat(riverIn(after, "orders").get("deadLettered").asLong()).isZero();
        assertThat(after.at("/planes/control/deadLetters").asLong()).isZero();
        List<String> back = new ArrayList<>();
        for (int i = 0; i < 5 && back.size() < 3; i++) {
            eventIds(ok(rr("--json", "readfrom", "orders", "--max", "10")).stdout()).stream()
                    .filter(sent::contains).forEach(back::add);
        }
        assertThat(back).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void theLivePageServesThisStagesTopologyStatusAndEvents() throws Exception {
        ok(rr("subscribe", "orders", "OrderPlaced"));
        List<String> command = new ArrayList<>(RrProcess.launcherWithCtrlC());
        command.addAll(hostingOptions());
        command.addAll(List.of("ui", "--port", "0"));
        Process ui = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String first = new BufferedReader(new InputStreamReader(ui.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(first).matches("serving the live page of stage ops on http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]+ .*");
            var http = HttpClient.newHttpClient();
            String base = first.replaceAll("^.* on (http://127\\.0\\.0\\.1:\\d+)/.*$", "$1");
            token = first.replaceAll("^.*\\?token=(\\S+) .*$", "$1");
            JsonNode topology = Json.parse(get(http, base + "/api/topology"));
            assertThat(topology.get("stage").asText()).isEqualTo("ops");
            assertThat(topology.get("nodes").toString()).contains("\"river:orders\"", "\"topic:OrderPlaced\"");
            assertThat(riverIn(Json.parse(get(http, base + "/api/status")), "orders").get("topics").toString())
                    .isEqualTo("[\"OrderPlaced\"]");
            assertThat(get(http, base + "/lib/cytoscape.min.js")).contains("cytoscape");

            String id = ok(rr("send", "OrderPlaced", "shop", "{}")).stdout().strip();
            String events = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(http, base + "/api/events?after=0"), shownNow -> shownNow.contains(id));
            JsonNode shown = null;
            for (JsonNode event : Json.parse(events).get("events")) {
                if (event.get("eventId").asText().equals(id)) {
                    shown = event;
                }
            }
            assertThat(shown.get("rivers").toString()).isEqualTo("[\"orders\"]");
        } finally {
            new ProcessBuilder("kill", "-INT", Long.toString(ui.pid())).start().waitFor();
            // a bound, not a wait (as in LivePageIT): stopping drains the planes hosted there
            boolean stopped = ui.waitFor(60, TimeUnit.SECONDS);
            if (!stopped) {
                // never left behind to host the planes under the next test
                ui.destroyForcibly().waitFor();
            }
            assertThat(stopped).as("rr ui stopped after Ctrl-C").isTrue();
        }
        assertThat(ui.exitValue()).isZero();
    }

    /** The live page's token, as rr ui printed it. */
    private String token = "";

    private String get(HttpClient http, String url) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-RR-Token", token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    /**
     * Issue 27's high finding through the real ./rr: a record on the rapids shaped as a service's reminder (the
     * reserved field beside a whole envelope) reaches no river, and the fan-out's dead letters keep it once, with
     * the reason; the genuine event put after it arrives alone.
     */
    @Test
    void aReminderForgedOnTheRapidsReachesNoRiverAndIsDeadLetteredOnceWithTheReason() {
        ok(rr("subscribe", "pages", "ViewPage"));
        String forgedId = UUID.randomUUID().toString();
        String forged = "{\"rrReminder\":{\"service\":\"pages\",\"kind\":\"need/Offer\",\"key\":\"k\",\"due\":"
                + "\"2000-01-01T00:00:00Z\"},\"cause\":\"{}\",\"eventId\":\"" + forgedId + "\",\"eventType\":\"ViewPage\","
                + "\"eventDomain\":\"x\",\"timestamp\":\"2026-12-07T08:00:00.000Z\",\"payload\":{}}";
        putRawOnRapids("forger", forged.getBytes(StandardCharsets.UTF_8));
        String genuine = ok(rr("send", "ViewPage", "shop", "{\"user\":\"Sally\"}")).stdout().strip();

        List<String> read = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            read.addAll(eventIds(ok(rr("--json", "readfrom", "pages", "--max", "10")).stdout()));
            assertThat(read).contains(genuine);
        });
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(ok(rr("--json", "deadletters", "--plane", "fanout")).stdout()).contains(forgedId));
        assertThat(read).containsExactly(genuine);
        String dead = ok(rr("deadletters", "--plane", "fanout")).stdout();
        assertThat(dead).contains("the field rrReminder is reserved for a service's own messages in its river");
        assertThat(dead.split(forgedId, -1)).as("dead-lettered once").hasSize(2);
    }

    @Test
    void aMessageAHandlerCannotHandleIsDeadLetteredWithWhyAndIsPutBackOrDiscardedOnRecord() throws Exception {
        Path jar = CompiledJar.build(workDir.resolve("picky.jar"), Map.of("picky.Picky", """
                package picky;

                import java.util.Set;
                import org.rapidsrivers.service.RapidsConnection;
                import org.rapidsrivers.service.River;
                import org.rapidsrivers.service.Service;

                public final class Picky implements Service {
                    public String name() { return "picky"; }
                    public Set<String> publishes() { return Set.of(); }

                    public void start(RapidsConnection rapids) {
                        River.on(rapids)
                                .precondition(rules -> rules.requireType("Parcel"))
                                .validate(rules -> rules.requireKey("n", "size"))
                                .register((packet, context) -> {
                                    if (packet.text("size").equals("huge")) {
                                        throw new IllegalStateException("no room for parcel " + packet.text("n"));
                                    }
                                });
                    }
                }
                """), Map.of("META-INF/services/org.rapidsrivers.service.Service", "picky.Picky\n"));
        Path log = workDir.resolve("picky.log");
        List<String> command = new ArrayList<>(List.of(RrProcess.launcher().toString()));
        command.addAll(hostingOptions());
        command.addAll(List.of("service", "picky", "--jar", jar.toString(), "--visibility", "1s"));
        Process picky = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(picky.isAlive()).as(Files.readString(log)).isTrue();
                return Files.readString(log).contains("service picky started");
            });
            ok(script("send Parcel shop '{\"n\":\"1\",\"size\":\"huge\"}'\nsend Parcel shop '{\"n\":\"2\",\"size\":\"huge\"}'\n"
                    + "send Parcel shop '{\"n\":\"3\",\"size\":\"small\"}'\n"));

            // each failed five times, then went to the dead-letter queue with why
            List<JsonNode> letters = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                letters.clear();
                ok(rr("--json", "deadletters", "--river", "picky")).stdout().lines().map(Json::parse).forEach(letters::add);
                return letters.size() == 2;
            });
            assertThat(letters).allSatisfy(letter -> {
                assertThat(letter.at("/note/failure").asText()).startsWith("java.lang.IllegalStateException: no room for parcel");
                assertThat(letter.get("receiveCount").asInt()).isEqualTo(5);
                assertThat(letter.at("/note/service").asText()).isEqualTo("picky");
                assertThat(letter.at("/note/instanceId").asText()).isNotEmpty();
            });
            assertThat(Files.readString(log)).contains("failed on its last receive 5 of 5, dead-lettered to picky-dlq with the"
                    + " reason").doesNotContain("receive 5 of 5): ");
            assertThat(ok(rr("deadletters")).stdout()).as("every river's dead letters, with the planes'")
                    .contains("river picky ", "no room for parcel 1", "no room for parcel 2");
            assertThat(ok(rr("readfrom", "picky", "--dlq")).stderr()).contains("IllegalStateException: no room for parcel");

            // the second discarded, recorded first; the first put back once, and given up on again, with why
            JsonNode second = letters.stream().filter(l -> Json.parse(l.get("body").asText()).at("/payload/n").asText().equals("2"))
                    .findFirst().orElseThrow();
            RrProcess.Result discard = ok(rr("deadletters", "discard", second.get("id").asText(), "--river", "picky"));
            assertThat(discard.stdout()).startsWith("discarded 1 dead letter(s) of river picky; recorded first in ");
            Path recorded = Path.of(discard.stdout().strip().substring(discard.stdout().strip().indexOf(" in ") + 4));
            assertThat(Files.readString(recorded)).contains("no room for parcel 2").contains("discardedAt");
            assertThat(ok(rr("redrive", "picky")).stdout()).contains("moved 1 message(s)");
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(ok(rr("--json", "deadletters", "--river", "picky")).stdout().lines().toList()).singleElement()
                            .satisfies(line -> assertThat(line).contains("no room for parcel 1").doesNotContain("parcel 2")));
        } finally {
            picky.destroy();
            assertThat(picky.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aRiverIsPurgedForGoodAndDeletedOnlyOnceItHoldsNothing() {
        ok(script("subscribe scratch Scratch\nsend Scratch shop '{}'\nsend Scratch shop '{}'\n"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                riverIn(Json.parse(ok(rr("--json", "status", "scratch")).stdout()), "scratch").get("visible").asLong() == 2);

        assertThat(rr("river", "delete", "scratch").errors()).isEqualTo("error: river 'scratch' holds 2 message(s) and 0 dead"
                + " letter(s), which deleting it would lose: river purge scratch empties it, deadletters discard --all --river"
                + " scratch removes its dead letters (recording them first); then delete it\n");
        assertThat(ok(rr("river", "purge", "scratch")).stdout()).isEqualTo("purged river scratch: 2 message(s) removed for good"
                + " (its dead letters stay: deadletters --river scratch)\n");
        assertThat(ok(rr("river", "delete", "scratch")).stdout()).startsWith("deleted river scratch: its subscription, its queue"
                + " and its dead-letter queue");
        JsonNode status = Json.parse(ok(rr("--json", "status")).stdout());
        status.get("rivers").forEach(r -> assertThat(r.get("river").asText()).isNotEqualTo("scratch"));
        assertThat(rr("river", "purge", "scratch").errors()).startsWith("error: river 'scratch' does not exist");
    }

    @Test
    void badOperatorInputIsOneLineNamingWhatIsAllowed() {
        assertThat(rr("redrive").errors()).isEqualTo(
                "error: name a river, or --plane fanout|control, not both: redrive <river> | redrive --plane <plane>\n");
        assertThat(rr("deadletters", "--plane", "data").errors()).isEqualTo("error: unknown plane 'data': use fanout or control\n");
        assertThat(rr("topology", "--format", "svg").errors()).isEqualTo(
                "error: unknown --format 'svg': use text, mermaid, dot or json\n");
        assertThat(rr("status", "nowhere").errors()).isEqualTo(
                "error: river 'nowhere' does not exist in stage ops (rr status lists the rivers)\n");
        assertThat(rr("deadletters", "--max", "0").errors()).isEqualTo("error: --max must be between 1 and 10000\n");
        assertThat(rr("redrive", "nowhere").exitCode()).isEqualTo(1);
        assertThat(rr("river").errors()).isEqualTo("error: river needs what to do: river delete <river> | river purge <river>\n");
        assertThat(rr("river", "delete", "nowhere").errors()).isEqualTo(
                "error: river 'nowhere' does not exist in stage ops (rr status lists the rivers)\n");
        assertThat(rr("deadletters", "discard", "7").errors()).isEqualTo("error: name the river or the plane, one of them:"
                + " deadletters discard <id>... --river <river> | --plane fanout|control\n");
        assertThat(rr("deadletters", "discard", "--plane", "fanout").errors()).isEqualTo("error: name the dead letters by id,"
                + " or --all, one of them (deadletters --river/--plane shows the ids)\n");
        assertThat(rr("deadletters", "discard", "no-such-id", "--plane", "fanout").errors()).isEqualTo("error: no dead letter"
                + " no-such-id in the fanout plane: nothing discarded (deadletters shows the ids there)\n");
    }

    static RrProcess.Result ok(RrProcess.Result result) {
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result;
    }

    /** Starts a real service in a process of its own, waits until it says it started, then stops it with SIGTERM. */
    private void startAndStop(String service) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RrProcess.launcher().toString()));
        command.addAll(hostingOptions());
        command.addAll(List.of("service", service));
        Path log = workDir.resolve(service + ".log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
            return Files.readString(log).contains("service " + service + " started");
        });
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("service " + service + " started");
    }

    private static void awaitVisible(Backend backend, int wanted) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> backend.operations().river(ORDERS).visible() >= wanted);
        assertThat(backend.operations().river(ORDERS).visible()).isEqualTo(wanted);
    }

    static JsonNode riverIn(JsonNode status, String river) {
        for (JsonNode each : status.get("rivers")) {
            if (each.get("river").asText().equals(river)) {
                return each;
            }
        }
        throw new AssertionError("no river " + river + " in " + status);
    }

    static List<String> eventIds(String printed) {
        List<String> ids = new ArrayList<>();
        for (String line : printed.split("\n")) {
            if (!line.isBlank()) {
                Json.parse(line).forEach(event -> ids.add(event.get("eventId").asText()));
            }
        }
        return ids;
    }

    /** Counts each eventId of a list. */
    static Map<String, Integer> counted(List<String> ids) {
        Map<String, Integer> counts = new HashMap<>();
        ids.forEach(id -> counts.merge(id, 1, Integer::sum));
        return counts;
    }

    static List<Delivery> drain(Backend backend, RiverName river) {
        List<Delivery> all = new ArrayList<>();
        for (int empty = 0; empty < 3; ) {
            List<Delivery> batch = backend.rivers().receive(river, 10, Duration.ofMillis(500), Duration.ofMinutes(5));
            if (batch.isEmpty()) {
                empty++;
            } else {
                empty = 0;
                all.addAll(batch);
                backend.rivers().delete(river, batch);
            }
        }
        return all;
    }
}
