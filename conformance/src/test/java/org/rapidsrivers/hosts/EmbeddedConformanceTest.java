package org.rapidsrivers.hosts;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.embedded.EmbeddedBackend;

/** The conformance suite on the embedded backend. */
class EmbeddedConformanceTest extends BackendConformance {
    @TempDir
    static Path dataDir;
    private static EmbeddedBackend backend;
    private static PlaneHost planes;

    @BeforeAll
    static void open() {
        backend = EmbeddedBackend.open(dataDir, Stage.of("conformance"));
        planes = PlaneHost.start(backend);
    }

    @AfterAll
    static void close() {
        planes.close();
        backend.close();
    }

    @Override
    protected Backend backend() {
        return backend;
    }

    @Override
    protected void putRawOnRapids(String partitionKey, byte[] data) {
        backend.appendRaw(Stage.of("conformance").rapidsStream(), partitionKey, data);
    }

    @Override
    protected List<String> fanOutDeadLetters() {
        return backend.fanOutDeadLetters().list().stream().map(d -> d.reason() + " :: " + d.text()).toList();
    }

    @Override
    protected void giveUpOnAControlRecord(String partitionKey, byte[] data, String failure) {
        // as the embedded host buries it: with the plane's own reason
        backend.controlDeadLetters().bury(new StreamRecord("shardId-000000000000", "0",
                partitionKey, data, Instant.now()), "gave up after 3 attempts: " + failure);
    }

    @Override
    protected Archive archive() {
        return backend.archive();
    }

    @Override
    protected boolean riversKeepOrder() {
        return true;
    }

    @Override
    protected boolean agesMessages() {
        return true;
    }

    @Override
    protected boolean exactSeam() {
        return true;
    }

    @Override
    protected int movedToDeadLetterQueue(RiverName river) {
        return backend.deadLetterDepth(river);
    }
}
