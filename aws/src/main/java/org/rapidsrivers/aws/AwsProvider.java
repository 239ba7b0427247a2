package org.rapidsrivers.aws;

import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.BackendProvider;
import org.rapidsrivers.core.stage.StageOptions;

/** Understands how the options of any process open the AWS backend, on AWS or an AWS-compatible endpoint. */
public final class AwsProvider implements BackendProvider {
    @Override
    public String kind() {
        return StageOptions.AWS;
    }

    @Override
    public Backend open(StageOptions options) {
        return AwsBackend.open(settings(options)).keepingJournalsIn(options.dataDir());
    }

    /** The AWS settings the options describe; emulators such as moto speak JSON, not CBOR, to Kinesis. */
    public static AwsSettings settings(StageOptions options) {
        if (options.noCbor()) {
            // read by the Kinesis client when it is built
            System.setProperty("aws.cborEnabled", "false");
        }
        AwsSettings settings = AwsSettings.of(options.stage()).withStreams(options.rapidsStream(), options.controlStream())
                .asEmulator(options.emulator());
        if (options.endpoint().isPresent()) {
            settings = settings.withEndpoint(options.endpoint().get());
        }
        if (options.region().isPresent()) {
            settings = settings.withRegion(options.region().get());
        }
        return settings;
    }
}
