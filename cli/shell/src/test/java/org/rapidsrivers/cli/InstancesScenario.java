package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.core.ports.Pond;

/**
 * Instances that behave as one, as a team runs them: every offers service as rr service processes on one
 * stage, three offer engines and two of every other service. Their ponds, their de-duplication and their
 * needs' deadlines are shared, so they give the bundles one instance gives; then one instance of each kind
 * is killed with SIGKILL in the middle of a run, and no page view gets two bundles or loses an offer (it is
 * in its bundle or in an amendment). Each backend says how fast its users come and how many there are.
 */
abstract class InstancesScenario {
    private static final List<String> SERVICES = List.of("segmentation", "membership", "location", "brand", "offer-engine");

    @TempDir
    Path workDir;

    private ServiceProcesses services;

    /** The global options that reach the stage. */
    abstract List<String> options();

    /** The stage opened in this process, to read the offer engine's pond. */
    abstract Backend openStage();

    /** What every instance is started with besides its name. */
    abstract List<String> serviceArguments();

    /** Users and the time between two of them: calm, then with the kills. */
    abstract Run calm();

    abstract Run killed();

    record Run(int users, String interval) {
    }

    @AfterEach
    void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void severalInstancesOfEachServiceActAsOneThroughRunsAndKills() throws Exception {
        services = new ServiceProcesses(workDir, options());
        for (String name : SERVICES) {
            int instances = name.equals("offer-engine") ? 3 : 2;
            for (int i = 1; i <= instances; i++) {
                services.launch(name + "#" + i, name, serviceArguments().toArray(String[]::new));
            }
        }
        services.awaitStarted();

        JsonNode calm = report(scenario(calm()));
        System.out.println("calm: " + calm);
        assertThat(calm.path("ok").asInt()).as(calm.toString()).isEqualTo(calm().users());
        assertThat(calm.path("two_bundles").asInt()).isZero();

        CompletableFuture<RrProcess.Result> run = CompletableFuture.supplyAsync(() -> scenario(killed()));
        // mid-run: once the engines have bundled a third of its page views
        awaitPublishedNeeds(calm().users() + killed().users() / 3);
        for (String name : SERVICES) {
            services.kill(name + "#1");
        }
        JsonNode killed = report(run.get(600, TimeUnit.SECONDS));

        System.out.println("one of each killed mid-run: " + killed);
        assertThat(killed.path("two_bundles").asInt()).as("never two bundles for a page view: " + killed).isZero();
        assertThat(killed.path("complete_with_amendments").asInt()).as("every offer in a bundle or an amendment: " + killed)
                .isEqualTo(killed().users());
    }

    private RrProcess.Result scenario(Run run) {
        List<String> command = new ArrayList<>(options());
        command.addAll(List.of("scenario", "offers", "--no-services", "--repeat", Integer.toString(run.users()),
                "--interval", run.interval(), "--timeout", "60s"));
        return RrProcess.run(workDir, null, command.toArray(String[]::new));
    }

    private static JsonNode report(RrProcess.Result result) {
        String last = result.stdout().lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no report; it said:\n" + result.stdout() + result.stderr()));
        return Json.parse(last);
    }

    private void awaitPublishedNeeds(int atLeast) {
        try (Backend stage = openStage()) {
            Pond needs = stage.pond("offer-engine");
            Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200)).until(() ->
                    needs.withPrefix("need/").values().stream().filter(n -> n.path("state").asText().equals("PUBLISHED"))
                            .count() >= atLeast);
        }
    }
}
