package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.rapidsrivers.core.json.Json;

/**
 * Understands business monitors as a team lives with them, through the real rr with every service a process:
 * the scenario's two monitors stay healthy over 20 users while the monitor service itself is killed with SIGKILL
 * and started again (no false breach, no chain missed); then the offer engine is killed and page views keep
 * coming: both breach within their window plus the evaluation, and a river subscribed to MonitorBreached gets
 * the failing chains' ids; the engine started again, MonitorRecovered follows. The options say the stage.
 */
final class MonitorsScenario {
    private static final List<String> SERVICES = List.of("segmentation", "membership", "location", "brand", "offer-engine");
    // the engines collect for 5 s and a chain has 10 s: on a busy machine (hops of 1-2.5 s beside the other lane) a
    // bundle still comes in time, so the healthy phase judges the monitors, not the machine
    private static final String WITHIN = "10s";
    private static final String[] SERVICE_ARGS = {"--visibility", "3s", "--heartbeat", "5s", "--set", "window=5s"};
    private static final String[] MONITOR_ARGS = {"--visibility", "3s", "--heartbeat", "5s", "--set", "hold=3s",
            "--set", "interval=500ms", "--set", "metrics=off"};

    private final Path workDir;
    private final List<String> options;
    private final List<String> hosting;
    private final List<JsonNode> pager = new ArrayList<>();

    /** {@code options}: the stage; {@code hosting}: the same for the processes that host the planes. */
    MonitorsScenario(Path workDir, List<String> options, List<String> hosting) {
        this.workDir = workDir;
        this.options = List.copyOf(options);
        this.hosting = List.copyOf(hosting);
    }

    /** The delay from the first failing chain's deadline to its MonitorBreached, in ms. */
    long run() throws Exception {
        try (ServiceProcesses services = new ServiceProcesses(workDir, hosting)) {
            for (String name : SERVICES) {
                services.start(name, SERVICE_ARGS);
            }
            ok(rr("advertise", "ViewPage"));
            ok(rr("monitor", "add", "bundles", "--when", "ViewPage", "--expect", "OfferBundle", "--within", WITHIN,
                    "--at-least", "99%", "--over", "40s", "--min-sample", "5"));
            ok(rr("monitor", "add", "road-warrior", "--when", "Segment", "--where", "segment=RoadWarrior", "--expect",
                    "OfferBundle", "--expect-where", "offers[].offer=road-warrior", "--within", WITHIN, "--at-least", "99%",
                    "--over", "40s", "--min-sample", "5"));
            ok(rr("subscribe", "pager", "MonitorBreached"));
            ok(rr("subscribe", "pager", "MonitorRecovered"));
            services.start("monitor", MONITOR_ARGS);

            // healthy over 20 users, the monitor service killed and started again while they come
            CompletableFuture<RrProcess.Result> calm = CompletableFuture.supplyAsync(() -> rr("scenario", "offers",
                    "--no-services", "--repeat", "20", "--interval", "150ms", "--window", "5s", "--timeout", "60s"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> tailCount("OfferBundle") >= 5 || calm.isDone());
            services.kill("monitor");
            services.start("monitor", MONITOR_ARGS);
            // what the monitors judge is the point here, not the scenario's own verdict: on a busy machine some offers
            // come in an amendment, which fails the scenario and is no business of the bundles monitor
            reported(calm.get(120, TimeUnit.SECONDS));
            Awaitility.await("both monitors healthy on all 20 chains").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        JsonNode monitors = monitors();
                        System.out.println("monitors: " + monitors);
                        return healthyOn(monitors, "bundles", 20) && healthyOn(monitors, "road-warrior", 20);
                    });
            readPager();
            assertThat(pager).as("no false breach through the monitor's kill").isEmpty();

            // the engine killed: page views get no bundle, and both monitors breach
            services.kill("offer-engine");
            Instant firstSent = Instant.now();
            RrProcess.Result sent = script("send ViewPage scenario '{\"user\":\"user-00001\"}'\n".repeat(6));
            ok(sent);
            List<String> failing = sent.stdout().lines().filter(line -> line.matches("[0-9a-f-]{36}")).toList();
            assertThat(failing).hasSize(6);
            Awaitility.await("MonitorBreached for both in the pager's river").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        readPager();
                        return said("MonitorBreached").size() >= 2;
                    });
            List<JsonNode> breaches = said("MonitorBreached");
            assertThat(breaches).extracting(e -> e.path("payload").path("monitor").asText())
                    .containsExactlyInAnyOrder("bundles", "road-warrior");
            for (JsonNode breach : breaches) {
                assertThat(breach.path("payload").path("examples")).isNotEmpty()
                        .allSatisfy(chain -> assertThat(failing).contains(chain.asText()));
            }
            Instant breachedAt = breaches.stream().map(e -> Instant.parse(e.path("timestamp").asText()))
                    .min(Instant::compareTo).orElseThrow();
            Instant firstView = viewTimes(failing).stream().min(Instant::compareTo).orElse(firstSent);
            long delay = Duration.between(firstView.plus(Duration.parse("PT" + WITHIN)), breachedAt).toMillis();
            System.out.println("breach to MonitorBreached (from the first failing chain's deadline): " + delay + " ms");
            RrProcess.Result status = rr("status");
            assertThat(status.stdout()).contains("stuck: monitor bundles is breached").contains("rr trace ");

            // the engine back: the failing chains leave the window and the monitors recover
            services.start("offer-engine", SERVICE_ARGS);
            CompletableFuture<RrProcess.Result> again = CompletableFuture.supplyAsync(() -> rr("scenario", "offers",
                    "--no-services", "--repeat", "40", "--interval", "1s", "--window", "5s", "--timeout", "60s"));
            Awaitility.await("MonitorRecovered for both").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        readPager();
                        return said("MonitorRecovered").size() >= 2 || again.isDone();
                    });
            assertThat(said("MonitorRecovered")).extracting(e -> e.path("payload").path("monitor").asText())
                    .containsExactlyInAnyOrder("bundles", "road-warrior");
            reported(again.get(180, TimeUnit.SECONDS));
            return delay;
        }
    }

    private static boolean healthyOn(JsonNode monitors, String name, long sample) {
        for (JsonNode monitor : monitors) {
            if (monitor.path("monitor").asText().equals(name)) {
                return monitor.path("status").asText().equals("healthy") && monitor.path("sample").asLong() == sample;
            }
        }
        return false;
    }

    private JsonNode monitors() {
        RrProcess.Result result = rr("--json", "monitors");
        ok(result);
        return Json.parse(result.stdout().strip());
    }

    /** The timestamps of the page views of these ids, as the archive has them. */
    private List<Instant> viewTimes(List<String> ids) {
        RrProcess.Result result = rr("--json", "tail", "--type", "ViewPage", "--since", "5m", "-n", "200");
        return result.stdout().lines().filter(line -> line.startsWith("{")).map(Json::parse)
                .filter(event -> ids.contains(event.path("eventId").asText()))
                .map(event -> Instant.parse(event.path("timestamp").asText())).toList();
    }

    private long tailCount(String type) {
        RrProcess.Result result = rr("--json", "tail", "--type", type, "--since", "10m", "-n", "100");
        return result.stdout().lines().filter(line -> line.startsWith("{")).count();
    }

    private void readPager() {
        RrProcess.Result result = rr("readfrom", "pager");
        ok(result);
        String out = result.stdout().strip();
        if (out.startsWith("[")) {
            Json.parse(out).forEach(pager::add);
        }
    }

    private List<JsonNode> said(String type) {
        return pager.stream().filter(e -> e.path("eventType").asText().equals(type)).toList();
    }

    private RrProcess.Result rr(String... args) {
        List<String> all = new ArrayList<>(hosting);
        all.addAll(List.of(args));
        return RrProcess.run(workDir, null, all.toArray(String[]::new));
    }

    private RrProcess.Result script(String lines) {
        return RrProcess.run(workDir, lines, hosting.toArray(String[]::new));
    }

    /** The scenario ran to its report (the JSON line), whatever it said of the offers. */
    private static void reported(RrProcess.Result result) {
        assertThat(result.stdout().lines().anyMatch(line -> line.startsWith("{\"scenario\""))).as("rr said:\n" + result.stdout()
                + result.stderr()).isTrue();
    }

    private static void ok(RrProcess.Result result) {
        assertThat(result.exitCode()).as("rr said:\n" + result.stdout() + result.stderr()).isZero();
    }
}
