package org.rapidsrivers.hosts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.embedded.EmbeddedBackend;

/** The pond promises in the embedded stage's database, each pond of a backend of its own (as two processes have). */
class EmbeddedPondTest extends PondConformance {
    @TempDir
    Path dataDir;

    private final List<EmbeddedBackend> opened = new ArrayList<>();

    @Override
    protected Pond pond(String service) {
        EmbeddedBackend backend = EmbeddedBackend.open(EmbeddedBackend.Options.of(dataDir, Stage.DEFAULT).withClock(clock));
        opened.add(backend);
        return backend.pond(service);
    }

    @AfterEach
    void close() {
        opened.forEach(EmbeddedBackend::close);
    }
}
