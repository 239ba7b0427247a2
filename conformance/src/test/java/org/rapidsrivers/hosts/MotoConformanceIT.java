package org.rapidsrivers.hosts;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.rapidsrivers.core.testing.MotoServer;

/** The conformance suite on the AWS backend against moto's server, the planes run by the local Kinesis host. */
class MotoConformanceIT extends AwsConformance {
    private static MotoServer moto;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        // moto speaks JSON, not CBOR, to the Kinesis client
        System.setProperty("aws.cborEnabled", "false");
        openStage(moto.endpoint(), "conformance");
    }

    @AfterAll
    static void stop() {
        closeStage();
        if (moto != null) {
            moto.close();
        }
    }
}
