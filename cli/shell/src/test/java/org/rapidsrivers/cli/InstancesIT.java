package org.rapidsrivers.cli;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * Instances that behave as one ({@link InstancesScenario}) on the embedded backend: users five a second,
 * then ten a second with the kills. The same on moto is {@link InstancesOnMotoCheck}, run by hand.
 */
class InstancesIT {
    @TempDir
    Path workDir;

    @Test
    void severalInstancesOfEachServiceActAsOneThroughRunsAndKills() throws Exception {
        new InstancesScenario(workDir, List.of("--stage", "dev"),
                () -> EmbeddedBackend.open(workDir.resolve(".rapids"), Stage.DEFAULT), "2s")
                .runCalmThenKill(new InstancesScenario.Run(20, "200ms"), new InstancesScenario.Run(60, "100ms"));
    }
}
