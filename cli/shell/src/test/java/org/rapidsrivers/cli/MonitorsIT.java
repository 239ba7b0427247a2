package org.rapidsrivers.cli;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Business monitors on the embedded backend, every service a process ({@link MonitorsScenario}). */
class MonitorsIT {
    @TempDir
    Path workDir;

    @Test
    void theScenariosMonitorsHoldBreachWhenTheEngineDiesAndRecover() throws Exception {
        List<String> stage = List.of("--stage", "dev");
        new MonitorsScenario(workDir, stage, stage).run();
    }
}
