package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.core.testing.MotoExtension;
import org.rapidsrivers.hosts.PlaneHost;

/**
 * Instances that behave as one on the AWS backend, on moto with the planes hosted by this test: the pond
 * in DynamoDB (its conditional writes claim each need once), the rivers in SQS (a killed instance's messages
 * back after their visibility). A hop on moto takes about a second (the planes read Kinesis once a second,
 * as Lambda does), so users come one a second and the engines collect offers for five seconds.
 */
class AwsInstancesIT extends InstancesScenario {
    private static final Stage STAGE = Stage.of("inst");

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();

    private AwsBackend host;
    private PlaneHost planes;

    @BeforeEach
    void provisionAndHostThePlanes() {
        List<String> provision = new ArrayList<>(options());
        provision.addAll(List.of("provision", "--shards", "1"));
        RrProcess.Result made = RrProcess.run(workDir, null, provision.toArray(String[]::new));
        assertThat(made.exitCode()).as(made.stdout() + made.stderr()).isZero();
        host = openStage();
        planes = PlaneHost.start(host);
    }

    @AfterEach
    void stopThePlanes() {
        planes.close();
        host.close();
    }

    @Override
    List<String> options() {
        return List.of("--backend", "aws", "--emulator", "--endpoint-url", moto.endpoint().toString(), "--stage", STAGE.value());
    }

    @Override
    AwsBackend openStage() {
        return AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true));
    }

    @Override
    List<String> serviceArguments() {
        return List.of("--visibility", "3s", "--set", "window=5s");
    }

    @Override
    Run calm() {
        return new Run(10, "1s");
    }

    @Override
    Run killed() {
        return new Run(30, "1s");
    }
}
