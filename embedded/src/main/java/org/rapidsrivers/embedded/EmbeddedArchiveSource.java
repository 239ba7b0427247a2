package org.rapidsrivers.embedded;

import java.time.Duration;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.archive.ArchiveSource;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.StageOptions;

/** Understands the embedded stage's archive: its rapids' own records, exact at the seam (no seam to wait for). */
public final class EmbeddedArchiveSource implements ArchiveSource {
    @Override
    public String kind() {
        return StageOptions.EMBEDDED;
    }

    @Override
    public Archive open(Backend backend, Duration seam) {
        return ((EmbeddedBackend) backend).archive();
    }
}
