package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Business monitors on the embedded backend through the real rr: every service a process ({@link
 * MonitorsScenario}); the scenario's own monitors; and the bad input, one line each with nothing kept.
 */
class MonitorsIT {
    private static final List<String> STAGE = List.of("--stage", "dev");

    @TempDir
    Path workDir;

    @Test
    void theScenariosMonitorsHoldBreachWhenTheEngineDiesAndRecover() throws Exception {
        long delay = new MonitorsScenario(workDir, STAGE, STAGE).run();
        assertThat(delay).as("the breach said within the evaluation's lateness and interval (and a busy machine's second)")
                .isBetween(0L, 5_000L);
    }

    @Test
    void theScenarioInstallsItsMonitorsAndTheyHoldOverTwentyUsers() {
        RrProcess.Result run = rr("scenario", "offers", "--monitors", "--repeat", "20", "--interval", "100ms");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).contains("added monitor bundles --when ViewPage --expect OfferBundle --within 3s",
                "monitor bundles: healthy, 100% of 21 chains within 3s", "monitor road-warrior: healthy, 100% of 21 chains within 3s");

        RrProcess.Result monitors = rr("monitors");
        assertThat(monitors.stdout()).containsPattern("bundles +healthy 100% of 21 chains within 3s")
                .containsPattern("road-warrior +healthy 100% of 21 chains within 3s");
    }

    @Test
    void badRulesAreOneLineAndNothingIsKept() {
        assertThat(rr("advertise", "ViewPage").exitCode()).isZero();
        assertThat(rr("advertise", "OfferBundle").exitCode()).isZero();
        refused("error: monitor b names Nope, which nothing advertises and the rapids have not carried: the types there are"
                + " OfferBundle, TopicAdvertised, ViewPage (advertise Nope first if it is still to come)", "monitor", "add", "b", "--when", "Nope", "--expect", "OfferBundle", "--within", "3s",
                "--at-least", "99%");
        refused("error: --within must be between 1ms and 3600s", "monitor", "add", "b", "--when", "ViewPage", "--expect",
                "OfferBundle", "--within", "0s", "--at-least", "99%");
        refused("error: monitor b: --at-least '101%' is not a percentage from 0% to 100% (99%, 99.5%)", "monitor", "add", "b",
                "--when", "ViewPage", "--expect", "OfferBundle", "--within", "3s", "--at-least", "101%");
        refused("error: --where path 'user..name' is not a path: a field is empty", "monitor", "add", "b", "--when", "ViewPage",
                "--where", "user..name=x", "--expect", "OfferBundle", "--within", "3s", "--at-least", "99%");
        assertThat(rr("--json", "monitors").stdout().strip()).as("nothing kept").isEqualTo("[]");

        assertThat(rr("send", "ViewPage", "web", "{\"user\":\"Sally\"}").exitCode()).isZero();
        RrProcess.Result warned = rr("monitor", "add", "b", "--when", "ViewPage", "--where", "segment=RoadWarrior", "--expect",
                "OfferBundle", "--within", "3s", "--at-least", "99%");
        assertThat(warned.exitCode()).isZero();
        assertThat(warned.stderr()).contains("warning: none of the last 1 ViewPage event(s) of the hour carries segment (kept anyway:"
                + " payloads vary)");
        refused("error: a monitor named b exists (--when ViewPage --where segment=RoadWarrior --expect OfferBundle --within 3s"
                + " --at-least 99% --over 10m): rr monitor remove b first, or choose another name", "monitor", "add", "b", "--when",
                "ViewPage", "--expect", "OfferBundle", "--within", "4s", "--at-least", "99%");
        refused("error: no monitor named 'c': the monitors are b", "monitor", "remove", "c");
        assertThat(rr("listsubs", "monitor").stdout()).contains("\"OfferBundle\"", "\"ViewPage\"");
        assertThat(rr("monitor", "remove", "b").exitCode()).isZero();
        assertThat(rr("listsubs", "monitor").stdout().strip()).isEqualTo("[\"MonitorAdded\",\"MonitorRemoved\"]");
    }

    @Test
    void theMonitorServiceIsNotDeployedAsAFunctionItsTimersWouldNeverRun() throws Exception {
        Path jar;
        try (var jars = Files.list(Path.of("../../service-api/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("service-api-[0-9.]+(-SNAPSHOT)?\\.jar")).findFirst()
                    .orElseThrow();
        }
        // refused before any AWS call: the endpoint answers nothing
        RrProcess.Result deploy = RrProcess.run(workDir, null, "--backend", "aws", "--emulator", "--endpoint-url",
                "http://127.0.0.1:9", "deploy", "--service", "monitor", "--jar", jar.toAbsolutePath().toString());
        assertThat(deploy.exitCode()).isEqualTo(1);
        assertThat(deploy.stderr()).contains("error: service monitor sets a timer as it starts (RapidsConnection.at), which a"
                + " function cannot run: it runs only while messages arrive. Run it as a process (rr service monitor), beside the"
                + " deployed services");
    }

    private void refused(String said, String... args) {
        RrProcess.Result result = rr(args);
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
        assertThat(result.stderr().lines().filter(line -> line.startsWith("error: ")).toList()).containsExactly(
                result.stderr().lines().filter(line -> line.startsWith("error: ")).findFirst().orElse("none"));
        assertThat(result.stderr()).contains(said);
    }

    private RrProcess.Result rr(String... args) {
        List<String> all = new ArrayList<>(STAGE);
        all.addAll(List.of(args));
        return RrProcess.run(workDir, null, all.toArray(String[]::new));
    }
}
