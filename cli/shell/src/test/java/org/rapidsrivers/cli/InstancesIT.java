package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * Instances that behave as one, as a team runs them: every offers service as rr service processes on one
 * embedded stage, three offer engines and two of every other service. Their ponds, their de-duplication
 * and their needs' deadlines are shared, so they give the bundles one instance gives; then one instance
 * of each kind is killed with SIGKILL in the middle of a run, and no page view gets two bundles or loses
 * an offer (it is in its bundle or in an amendment).
 */
class InstancesIT {
    private static final List<String> SERVICES = List.of("segmentation", "membership", "location", "brand", "offer-engine");

    @TempDir
    Path workDir;

    private ServiceProcesses services;

    @AfterEach
    void stop() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void severalInstancesOfEachServiceActAsOneThroughRunsAndKills() throws Exception {
        services = new ServiceProcesses(workDir, List.of("--stage", "dev"));
        for (String name : SERVICES) {
            int instances = name.equals("offer-engine") ? 3 : 2;
            for (int i = 1; i <= instances; i++) {
                services.instance(name + "#" + i, name, "--visibility", "3s");
            }
        }

        JsonNode calm = report(scenario(20, "200ms"));
        assertThat(calm.path("ok").asInt()).as(calm.toString()).isEqualTo(20);
        assertThat(calm.path("two_bundles").asInt()).isZero();

        CompletableFuture<RrProcess.Result> run = CompletableFuture.supplyAsync(() -> scenario(60, "100ms"));
        // mid-run: once the engines have bundled some of its page views
        awaitPublishedNeeds(20 + 10);
        for (String name : SERVICES) {
            services.kill(name + "#1");
        }
        JsonNode killed = report(run.get(180, TimeUnit.SECONDS));

        System.out.println("one of each killed mid-run: " + killed);
        assertThat(killed.path("two_bundles").asInt()).as("never two bundles for a page view: " + killed).isZero();
        assertThat(killed.path("complete_with_amendments").asInt()).as("every offer in a bundle or an amendment: " + killed)
                .isEqualTo(60);
    }

    private RrProcess.Result scenario(int users, String interval) {
        return RrProcess.run(workDir, null, "--stage", "dev", "scenario", "offers", "--no-services", "--repeat",
                Integer.toString(users), "--interval", interval, "--timeout", "60s");
    }

    private static JsonNode report(RrProcess.Result result) {
        String last = result.stdout().lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no report; it said:\n" + result.stdout() + result.stderr()));
        return Json.parse(last);
    }

    private void awaitPublishedNeeds(int atLeast) {
        try (EmbeddedBackend stage = EmbeddedBackend.open(workDir.resolve(".rapids"), org.rapidsrivers.core.names.Stage.DEFAULT)) {
            Pond needs = stage.pond("offer-engine");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    needs.withPrefix("need/").values().stream().filter(n -> n.path("state").asText().equals("PUBLISHED"))
                            .count() >= atLeast);
        }
    }
}
