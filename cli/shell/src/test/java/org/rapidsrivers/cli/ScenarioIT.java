package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.RiverStatus;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.testing.CompiledJar;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * The offers scenario end to end on the embedded backend through the real ./rr: the five services in
 * one process; then each service in its own rr service process on one data directory, one of them
 * killed with SIGKILL in the middle of a run and started again.
 */
class ScenarioIT {
    private static final List<String> SERVICES = List.of("segmentation", "membership", "location", "brand", "offer-engine");

    @TempDir
    Path workDir;

    private ServiceProcesses services;

    @AfterEach
    void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    private void awaitRiver(String river, Predicate<RiverStatus> wanted) {
        try (EmbeddedBackend stage = EmbeddedBackend.open(
                workDir.resolve(".rapids"), Stage.DEFAULT)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> stage.operations().river(RiverName.of(river)), wanted);
        }
    }

    private void awaitOpenNeedWithASolution() {
        try (EmbeddedBackend stage = EmbeddedBackend.open(
                workDir.resolve(".rapids"), Stage.DEFAULT)) {
            Pond needs = stage.pond("offer-engine");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    needs.withPrefix("need/").values().stream().anyMatch(need -> !need.path("solutions").isEmpty()));
        }
    }

    @Test
    void theScenarioPrintsTheChainAndTheFiveOffers() {
        RrProcess.Result result = RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).matches("(?s)sent ViewPage [0-9a-f-]{36} for Sally \\(rr trace [0-9a-f-]{36} draws its chain\\)\n"
                + "ViewPage \\{\"user\":\"Sally\"} \\(scenario\\)\n.*")
                .contains("Segment {\"user\":\"Sally\",\"segment\":\"RoadWarrior\"} (segmentation)",
                        "Membership {\"user\":\"Sally\",\"level\":\"Platinum\"} (membership)",
                        "Offer road-warrior+platinum [\"segment:RoadWarrior\",\"membership:Platinum\"] (location)",
                        "OfferBundle 5 offers (offer-engine)",
                        "ok: the bundle holds the five expected offers");
        assertThat(result.stdout().lines().filter(l -> l.contains("─ Offer "))).hasSize(5);
    }

    @Test
    void repeatedRunsCountTheirUsersAfterAWarmUpPageViewThatIsReportedApart() {
        RrProcess.Result result = RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers", "--repeat", "3",
                "--interval", "100ms", "--window", "500ms");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("users 3, bundles with the five offers 3,")
                .containsPattern("warm-up \\(user-warm-up, not counted above\\): ViewPage to last Offer \\d+ ms, slowest hop \\d+ ms");
        JsonNode report = Json.parse(result.stdout().lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertThat(report.path("users").asInt()).isEqualTo(3);
        assertThat(report.path("ok").asInt()).isEqualTo(3);
        assertThat(report.path("warm_up").path("latency_ms").isNumber()).as(report.toString()).isTrue();
        assertThat(report.path("hops_ms").path("p99").isNumber()).isTrue();
        String tail = result.stdout().lines().filter(line -> line.startsWith("the page views' eventIds: rr tail ")).findFirst()
                .orElseThrow().substring("the page views' eventIds: rr ".length());
        RrProcess.Result views = RrProcess.run(workDir, null, Stream.concat(Stream.of("--stage", "dev"),
                Stream.of(tail.split(" "))).toArray(String[]::new));
        assertThat(views.stdout().lines().toList()).as(tail).hasSize(3)
                .allMatch(line -> line.contains("  ViewPage  ") && line.matches(".*\\{\"user\":\"user-0000[123]\"}"));
    }

    @Test
    void aUserTheDataDoesNotKnowGetsTwoBaselinesAndTheRunSaysSo() {
        RrProcess.Result result = RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers", "--user", "Bob",
                "--window", "500ms");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errors()).isEqualTo("error: the bundle holds [brand baseline, location baseline]: the expected"
                + " offers [brand road-warrior, location road-warrior, location road-warrior+platinum] are not in it (the five"
                + " expected are [brand baseline, brand road-warrior, location baseline, location road-warrior,"
                + " location road-warrior+platinum])\n");
    }

    @Test
    void badScenarioOptionsAreOneLineEach() {
        assertThat(RrProcess.run(workDir, null, "--stage", "dev", "scenario", "coffee").errors())
                .isEqualTo("error: unknown scenario 'coffee': the one there is is offers\n");
        assertThat(RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers", "--window", "soon").errors())
                .isEqualTo("error: --window 'soon' is not a duration: use a number with ms, s, m or h, e.g. 2s or 500ms\n");
        assertThat(RrProcess.run(workDir, null, "--stage", "dev", "service", "billing").errors())
                .isEqualTo("error: unknown service 'billing': the services on the class path are brand, location,"
                        + " membership, monitor, offer-engine, segmentation\n");
        assertThat(RrProcess.run(workDir, null, "--stage", "dev", "service", "brand", "--set", "Window").errors())
                .startsWith("error: --set 'Window' is not <name>=<value>");
        assertThat(RrProcess.run(workDir, null, "--stage", "dev", "service", "offer-engine", "--set", "window=soon").errors())
                .isEqualTo("error: setting window 'soon' is not a duration: use a number with ms, s, m or h, e.g. 2s or 500ms\n");
        assertThat(RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers", "--segment", "Student").errors())
                .isEqualTo("error: --segment and --level describe the user of --add-user <name>: give it too\n");
    }

    @Test
    void oneProcessPerServiceAndAServiceKilledMidRunStillGivesTheExactBundle() throws Exception {
        // location and then the engine are killed with SIGKILL during a run and started again
        services = new ServiceProcesses(workDir, List.of("--stage", "dev"));
        // the first hosts the planes (it holds the streams' leases, and is never killed here); the rest start side by side
        start(SERVICES.get(0));
        for (String name : SERVICES.subList(1, SERVICES.size())) {
            launch(name);
        }
        services.awaitStarted();
        RrProcess.Result first = RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers", "--no-services");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("ok: the bundle holds the five expected offers");

        // location dies as the run starts and comes back a few seconds later: the page view, the segment and
        // the membership wait in its river meanwhile, and its pond still knows what it learned before
        services.kill("location");
        CompletableFuture<RrProcess.Result> run = CompletableFuture.supplyAsync(() -> RrProcess.run(workDir, null,
                "--stage", "dev", "scenario", "offers", "--no-services"));
        // back only once the run's page view waits in its river
        awaitRiver("location", status -> status.visible() > 0);
        start("location");
        RrProcess.Result second = run.get(120, TimeUnit.SECONDS);

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stdout()).contains("ok: the bundle holds the five expected offers");

        // the engine dies during the window, after it opened the need: its pond keeps the need and what came
        CompletableFuture<RrProcess.Result> third = CompletableFuture.supplyAsync(() -> RrProcess.run(workDir, null,
                "--stage", "dev", "scenario", "offers", "--no-services"));
        // killed once the need is open in its pond and an offer for it has come
        awaitOpenNeedWithASolution();
        services.kill("offer-engine");
        start("offer-engine");
        RrProcess.Result afterEngine = third.get(120, TimeUnit.SECONDS);
        assertThat(afterEngine.exitCode()).as(afterEngine.stderr()).isZero();
        assertThat(afterEngine.stdout()).contains("ok: the bundle holds the five expected offers");

        Process engine = services.process("offer-engine");
        engine.destroy();
        assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.exitValue()).as("a service stopped by SIGTERM exits 0").isZero();
    }

    @Test
    void aSixthServiceOfOnesOwnFromAJarIsListedAndTheRunStaysGreen() throws Exception {
        // written as docs/services.md says: an Offer {user, offer, source, basis} for every page view
        Path jar = CompiledJar.build(workDir.resolve("umbrella.jar"), Map.of("weather.Umbrella", """
                package weather;

                import java.util.Set;
                import org.rapidsrivers.core.json.Json;
                import org.rapidsrivers.service.RapidsConnection;
                import org.rapidsrivers.service.River;
                import org.rapidsrivers.service.Service;

                public final class Umbrella implements Service {
                    public String name() { return "weather"; }
                    public Set<String> publishes() { return Set.of("Offer"); }

                    public void start(RapidsConnection rapids) {
                        River.on(rapids)
                                .precondition(rules -> rules.requireType("ViewPage"))
                                .validate(rules -> rules.requireKey("user"))
                                .register((packet, context) -> {
                                    var offer = Json.object().put("user", packet.text("user")).put("offer", "umbrella")
                                            .put("source", "weather");
                                    offer.putArray("basis").add("forecast:rain");
                                    context.publish("Offer", offer);
                                });
                    }
                }
                """), Map.of("META-INF/services/org.rapidsrivers.service.Service", "weather.Umbrella\n"));
        services = new ServiceProcesses(workDir, List.of("--stage", "dev"));
        // the first hosts the planes (it holds the streams' leases, and is never killed here); the rest start side by side
        start(SERVICES.get(0));
        for (String name : SERVICES.subList(1, SERVICES.size())) {
            launch(name);
        }
        services.awaitStarted();
        services.start("weather", "--jar", jar.toString());

        RrProcess.Result run = RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers", "--no-services");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Offer umbrella [\"forecast:rain\"] (weather)",
                "OfferBundle 6 offers (offer-engine)",
                "ok: the bundle holds the five expected offers, and 1 more: weather umbrella");
    }

    @Test
    void aUserAddedToTheSamplePondsGetsWhatTheirFactsGive() {
        RrProcess.Result gold = RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers", "--user", "Ann",
                "--add-user", "Ann", "--segment", "RoadWarrior", "--level", "Gold", "--window", "500ms");
        assertThat(gold.stdout()).contains("added Ann {segment=RoadWarrior, level=Gold} to the ponds of segmentation and"
                + " membership", "Offer road-warrior [\"segment:RoadWarrior\"] (location)");
        assertThat(gold.errors()).contains("the expected offers [location road-warrior+platinum] are not in it");

        RrProcess.Result platinum = RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers", "--user", "Ann",
                "--add-user", "Ann", "--level", "Platinum", "--window", "500ms");
        assertThat(platinum.exitCode()).as(platinum.stderr()).isZero();
        assertThat(platinum.stdout()).contains("ok: the bundle holds the five expected offers");
    }

    /** Starts rr service NAME, as quick to give back what it held as the test needs, and waits until it has started. */
    private void start(String name) throws IOException {
        launch(name);
        services.awaitStarted();
    }

    /** The same, without waiting: services.awaitStarted() waits for every one launched. */
    private void launch(String name) throws IOException {
        // the engine's window long enough for a service that was killed to come back within it: 8 s was not, once, on a
        // rehearsal's busy machine (location restarted beside both lanes and the smoke runs, its offers after the bundle)
        services.launch(name, name, name.equals("offer-engine") ? new String[] {"--visibility", "3s", "--set", "window=15s"}
                : new String[] {"--visibility", "3s"});
    }
}
