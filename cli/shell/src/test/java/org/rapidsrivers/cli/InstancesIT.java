package org.rapidsrivers.cli;

import java.util.List;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.embedded.EmbeddedBackend;

/** Instances that behave as one on the embedded backend: 20 users at five a second, then 60 at ten with the kills. */
class InstancesIT extends InstancesScenario {
    @Override
    List<String> options() {
        return List.of("--stage", "dev");
    }

    @Override
    Backend openStage() {
        return EmbeddedBackend.open(workDir.resolve(".rapids"), Stage.DEFAULT);
    }

    @Override
    List<String> serviceArguments() {
        return List.of("--visibility", "3s");
    }

    @Override
    Run calm() {
        return new Run(20, "200ms");
    }

    @Override
    Run killed() {
        return new Run(60, "100ms");
    }
}
