package org.rapidsrivers.hosts;

import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.provision.AwsProvisioner;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.testing.MotoExtension;

/** Understands moto with one stage provisioned on it, for one test class. */
final class ProvisionedMoto extends MotoExtension {
    private final Stage stage;
    private final int shards;
    private AwsSettings settings;

    ProvisionedMoto(Stage stage, int shards) {
        this.stage = stage;
        this.shards = shards;
    }

    @Override
    protected void started() {
        // moto speaks JSON, not CBOR, to the Kinesis client
        System.setProperty("aws.cborEnabled", "false");
        settings = AwsSettings.of(stage).withEndpoint(endpoint()).asEmulator(true);
        try (AwsBackend aws = AwsBackend.open(settings)) {
            new AwsProvisioner(aws.clients(), settings).provision(shards);
        }
    }

    AwsSettings settings() {
        return settings;
    }
}
