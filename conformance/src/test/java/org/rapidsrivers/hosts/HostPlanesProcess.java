package org.rapidsrivers.hosts;

import java.net.URI;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.names.Stage;

/** Understands how to be the process that hosts a stage's planes over Kinesis, until it is killed: for tests. */
public final class HostPlanesProcess {
    private HostPlanesProcess() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("aws.cborEnabled", "false");
        AwsSettings settings = AwsSettings.of(Stage.of(args[1])).withEndpoint(URI.create(args[0])).asEmulator(true);
        PlaneHost.start(AwsBackend.open(settings));
        System.out.println("hosting");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
