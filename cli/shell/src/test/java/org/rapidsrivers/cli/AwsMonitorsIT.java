package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.testing.MotoExtension;

/**
 * Business monitors on the AWS backend against moto, through the real rr: the monitor service an rr service
 * process hosting the planes, its river subscribed by rr monitor add through the control plane, its window and
 * state in DynamoDB. The chains are sent by rr itself (a Ping and its Pong under one correlationId), since the
 * five offers services as processes on moto take seconds a hop (InstancesOnMotoCheck); the kill of the engine
 * runs on the embedded backend ({@link MonitorsIT}).
 */
class AwsMonitorsIT {
    private static final Stage STAGE = Stage.of("mon");

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();

    @TempDir
    Path workDir;

    private final List<JsonNode> pager = new ArrayList<>();

    @Test
    void aMonitorOnMotoHoldsBreachesWithTheFailingChainsAndRecovers() throws Exception {
        ok(rr(false, "provision", "--shards", "1"));
        ok(rr(true, "advertise", "Ping"));
        ok(rr(true, "advertise", "Pong"));
        ok(rr(true, "monitor", "add", "pongs", "--when", "Ping", "--expect", "Pong", "--within", "3s", "--at-least", "99%",
                "--over", "20s", "--min-sample", "3"));
        ok(rr(true, "subscribe", "pager", "MonitorBreached"));
        ok(rr(true, "subscribe", "pager", "MonitorRecovered"));
        try (ServiceProcesses services = new ServiceProcesses(workDir, hosting())) {
            services.start("monitor", "--visibility", "3s", "--heartbeat", "5s", "--set", "hold=3s", "--set", "interval=500ms",
                    "--set", "metrics=off");
            ok(script(chains("a", 5, true)));
            Awaitility.await("healthy on the five answered chains").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        JsonNode pongs = monitors().get(0);
                        System.out.println("monitors: " + pongs);
                        return pongs.path("status").asText().equals("healthy") && pongs.path("sample").asLong() == 5;
                    });

            ok(script(chains("b", 4, false)));
            Awaitility.await("MonitorBreached in the pager's river").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> said("MonitorBreached").size() == 1);
            JsonNode breach = said("MonitorBreached").get(0).path("payload");
            assertThat(breach.path("monitor").asText()).isEqualTo("pongs");
            assertThat(breach.path("examples")).isNotEmpty()
                    .allSatisfy(chain -> assertThat(chain.asText()).matches("b[1-4]"));
            assertThat(rr(false, "status").stdout()).contains("stuck: monitor pongs is breached", "rr trace b");

            // answered chains again: once the failing ones leave the 20 s window, it holds
            int round = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while (said("MonitorRecovered").isEmpty() && System.nanoTime() < deadline) {
                ok(script(chains("c" + round++ + "-", 2, true)));
            }
            assertThat(said("MonitorRecovered")).singleElement()
                    .satisfies(recovered -> assertThat(recovered.path("payload").path("monitor").asText()).isEqualTo("pongs"));
            assertThat(said("MonitorBreached")).hasSize(1);
        }
    }

    /** A script that sends Pings under the correlationIds prefix1..prefixN, each followed by its Pong if answered. */
    private static String chains(String prefix, int count, boolean answered) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "send Ping test '{}' --correlation-id " + prefix + i + "\n"
                + (answered ? "send Pong test '{}' --correlation-id " + prefix + i + "\n" : "")).collect(Collectors.joining());
    }

    private JsonNode monitors() {
        RrProcess.Result result = rr(false, "--json", "monitors");
        ok(result);
        return Json.parse(result.stdout().strip());
    }

    private List<JsonNode> said(String type) {
        RrProcess.Result result = rr(false, "readfrom", "pager");
        ok(result);
        if (result.stdout().strip().startsWith("[")) {
            Json.parse(result.stdout().strip()).forEach(pager::add);
        }
        return pager.stream().filter(e -> e.path("eventType").asText().equals(type)).toList();
    }

    private List<String> options() {
        return List.of("--backend", "aws", "--emulator", "--endpoint-url", moto.endpoint().toString(), "--stage", STAGE.value());
    }

    private List<String> hosting() {
        List<String> all = new ArrayList<>(options());
        all.add("--host-planes");
        return all;
    }

    private RrProcess.Result rr(boolean hostPlanes, String... args) {
        List<String> all = new ArrayList<>(hostPlanes ? hosting() : options());
        all.addAll(List.of(args));
        return RrProcess.run(workDir, null, all.toArray(String[]::new));
    }

    private RrProcess.Result script(String lines) {
        return RrProcess.run(workDir, lines, options().toArray(String[]::new));
    }

    private static void ok(RrProcess.Result result) {
        assertThat(result.exitCode()).as("rr said:\n" + result.stdout() + result.stderr()).isZero();
    }
}
