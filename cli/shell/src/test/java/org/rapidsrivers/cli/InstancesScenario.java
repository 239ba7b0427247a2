package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands instances that behave as one, as a team runs them: every offers service as rr service
 * processes on one stage, three offer engines and two of every other service, started one after the other.
 * Their ponds, their de-duplication and their needs' deadlines are shared, so they give the bundles one
 * instance gives; then one instance of each kind is killed with SIGKILL in the middle of a run, and no page
 * view gets two bundles or loses an offer (it is in its bundle or in an amendment). The backend's options
 * say where the stage is, and its runs how fast users come and how many there are.
 */
final class InstancesScenario {
    private static final List<String> SERVICES = List.of("segmentation", "membership", "location", "brand", "offer-engine");

    private final Path workDir;
    private final List<String> options;
    private final Supplier<Backend> openStage;
    private final String window;

    /** Users and the time between two of them. */
    record Run(int users, String interval) {
    }

    /** {@code window}: how long the engines collect offers, and the scenario waits for amendments after. */
    InstancesScenario(Path workDir, List<String> options, Supplier<Backend> openStage, String window) {
        this.workDir = workDir;
        this.options = List.copyOf(options);
        this.openStage = openStage;
        this.window = window;
    }

    /** A calm run; then a run in which one instance of each kind is killed once a third of it is bundled. */
    void runCalmThenKill(Run calm, Run killed) throws Exception {
        try (ServiceProcesses services = new ServiceProcesses(workDir, options)) {
            for (String name : SERVICES) {
                int instances = name.equals("offer-engine") ? 3 : 2;
                for (int i = 1; i <= instances; i++) {
                    services.launch(name + "#" + i, name, "--visibility", "3s", "--set", "window=" + window);
                    services.awaitStarted();
                }
            }

            JsonNode quiet = report(scenario(calm));
            System.out.println("calm: " + quiet);
            // the invariants, not a count the machine's speed decides (a busy machine bundles some late, then amends)
            assertThat(quiet.path("two_bundles").asInt()).as("never two bundles for a page view: " + quiet).isZero();
            assertThat(quiet.path("complete_with_amendments").asInt()).as("every offer in a bundle or an amendment: " + quiet)
                    .isEqualTo(calm.users());

            CompletableFuture<RrProcess.Result> run = CompletableFuture.supplyAsync(() -> scenario(killed));
            awaitPublishedNeeds(calm.users() + killed.users() / 3);
            for (String name : SERVICES) {
                services.kill(name + "#1");
            }
            RrProcess.Result killedRun = run.get(600, TimeUnit.SECONDS);
            System.out.println("the run with the kills said:\n" + killedRun.stdout() + killedRun.stderr());
            JsonNode afterKills = report(killedRun);

            System.out.println("one of each killed mid-run: " + afterKills);
            assertThat(afterKills.path("two_bundles").asInt()).as("never two bundles for a page view: " + afterKills).isZero();
            assertThat(afterKills.path("complete_with_amendments").asInt())
                    .as("every offer in a bundle or an amendment: " + afterKills).isEqualTo(killed.users());
        }
    }

    private RrProcess.Result scenario(Run run) {
        List<String> command = new ArrayList<>(options);
        command.addAll(List.of("scenario", "offers", "--no-services", "--repeat", Integer.toString(run.users()),
                "--interval", run.interval(), "--window", window, "--timeout", "60s"));
        return RrProcess.run(workDir, null, command.toArray(String[]::new));
    }

    private static JsonNode report(RrProcess.Result result) {
        String last = result.stdout().lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no report; it said:\n" + result.stdout() + result.stderr()));
        return Json.parse(last);
    }

    private void awaitPublishedNeeds(int atLeast) {
        try (Backend stage = openStage.get()) {
            Pond needs = stage.pond("offer-engine");
            Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200)).until(() ->
                    needs.withPrefix("need/").values().stream().filter(n -> n.path("state").asText().equals("PUBLISHED"))
                            .count() >= atLeast);
        }
    }
}
