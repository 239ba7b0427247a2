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
import org.rapidsrivers.embedded.EmbeddedBackend;
import org.rapidsrivers.hosts.PlaneHost;

/**
 * Instances that behave as one ({@link InstancesScenario}) on both backends, one after the other in one test
 * JVM (eleven service processes at a time are what two cores carry).
 */
class InstancesIT {
    @TempDir
    Path workDir;

    /** Users five a second, then ten a second with the kills. */
    @Test
    void onTheEmbeddedBackend() throws Exception {
        new InstancesScenario(workDir, List.of("--stage", "dev"),
                () -> EmbeddedBackend.open(workDir.resolve(".rapids"), Stage.DEFAULT), List.of("--visibility", "3s"))
                .runCalmThenKill(new InstancesScenario.Run(20, "200ms"), new InstancesScenario.Run(60, "100ms"));
    }

    /**
     * On moto, the planes hosted by this test: the pond in DynamoDB (its conditional writes claim each need
     * once), the rivers in SQS (a killed instance's messages back after their visibility). A hop on moto takes
     * about a second (the planes read Kinesis once a second, as Lambda does), so users come a second apart
     * and the engines collect offers for five seconds.
     */
    @Test
    void onMotoWithThePlanesHostedHere() throws Exception {
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
                new InstancesScenario(workDir, options, () -> AwsBackend.open(settings),
                        List.of("--visibility", "3s", "--set", "window=5s"))
                        .runCalmThenKill(new InstancesScenario.Run(10, "1s"), new InstancesScenario.Run(30, "1s"));
            }
        }
    }
}
