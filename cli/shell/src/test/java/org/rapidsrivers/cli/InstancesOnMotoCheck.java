package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.testing.MotoServer;
import org.rapidsrivers.hosts.PlaneHost;

/**
 * Instances that behave as one ({@link InstancesScenario}) on moto, the planes hosted here: the pond in
 * DynamoDB (its conditional writes claim each need once), the rivers in SQS (a killed instance's messages
 * back after their visibility). Users come a second apart; the engines collect offers for ten seconds, and
 * the scenario waits as long for amendments (a hop on moto with eleven services on it takes about a
 * second, its p99 up to ten).
 *
 * <p>Not part of {@code make test} (its name is not an integration test's): moto answers every call in one
 * Python process, and beside the rest of the suite on two cores a hop took 5-18 s, past the scenario's
 * watch; alone it passes in about two minutes. Run it with
 * {@code mvn -pl cli/shell verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=InstancesOnMotoCheck}
 * (after {@code make install}).
 */
class InstancesOnMotoCheck {
    @TempDir
    Path workDir;

    @Test
    void severalInstancesOfEachServiceActAsOneThroughRunsAndKills() throws Exception {
        Stage stage = Stage.of("inst");
        try (MotoServer moto = MotoServer.start()) {
            List<String> options = List.of("--backend", "aws", "--emulator", "--endpoint-url", moto.endpoint().toString(),
                    "--stage", stage.value());
            List<String> provision = new ArrayList<>(options);
            provision.addAll(List.of("provision", "--shards", "1"));
            RrProcess.Result made = RrProcess.run(workDir, null, provision.toArray(String[]::new));
            assertThat(made.exitCode()).as(made.stdout() + made.stderr()).isZero();
            AwsSettings settings = AwsSettings.of(stage).withEndpoint(moto.endpoint()).asEmulator(true);
            try (AwsBackend host = AwsBackend.open(settings); PlaneHost planes = PlaneHost.start(host)) {
                try {
                    new InstancesScenario(workDir, options, () -> AwsBackend.open(settings), "10s")
                            .runCalmThenKill(new InstancesScenario.Run(10, "1s"), new InstancesScenario.Run(30, "1s"));
                } finally {
                    // where a message that never made its offer may be: still in a river, or in its dead-letter queue
                    host.operations().rivers().forEach(river -> System.out.println("river " + river.river() + ": visible "
                            + river.visible() + ", in flight " + river.inFlight() + ", dead-lettered " + river.deadLettered()));
                }
            }
        }
    }
}
