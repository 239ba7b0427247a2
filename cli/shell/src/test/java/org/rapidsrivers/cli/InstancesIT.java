package org.rapidsrivers.cli;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * Instances that behave as one ({@link InstancesScenario}) on the embedded backend: users five a second,
 * then ten a second with the kills. The same on moto is {@link InstancesOnMotoCheck}, run by hand. The
 * engines collect for 5 s: with 2 s, a rehearsal on a busy machine (hops of 0.7-2.5 s beside the other
 * lane) bundled 13 of the calm run's 20 exactly and amended the other 7.
 */
class InstancesIT {
    @TempDir
    Path workDir;

    @Test
    void severalInstancesOfEachServiceActAsOneThroughRunsAndKills() throws Exception {
        new InstancesScenario(workDir, List.of("--stage", "dev"),
                () -> EmbeddedBackend.open(workDir.resolve(".rapids"), Stage.DEFAULT), "5s")
                .runCalmThenKill(new InstancesScenario.Run(20, "200ms"), new InstancesScenario.Run(60, "100ms"));
    }
}
