package org.rapidsrivers.core.archive;

import java.time.Duration;
import java.util.ServiceLoader;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands where a kind of backend keeps its stage's archive, found by ServiceLoader as backends are: the
 * rapids' own records (the module embedded), an S3 bucket (hosts-aws, so no Lambda jar carries an S3 client).
 */
public interface ArchiveSource {
    /** The kind of backend (as options name it) whose archive this opens. */
    String kind();

    /** {@code seam}: how far past a subscription a backfill reaches where the backend applies one within minutes. */
    Archive open(Backend backend, Duration seam);

    /** The stage's archive, or one line naming what to add when no module on the class path keeps that kind's. */
    static Archive of(Backend backend, Duration seam) {
        return ServiceLoader.load(ArchiveSource.class, ArchiveSource.class.getClassLoader()).stream().map(ServiceLoader.Provider::get)
                .filter(source -> source.kind().equals(backend.kind())).findFirst()
                .orElseThrow(() -> new BackendUnavailable("no archive of a " + backend.kind() + " stage on this program's class"
                        + " path: add the artifact org.rapidsrivers:" + (backend.kind().equals("aws") ? "hosts-aws" : backend.kind())
                        + " (at run time)"))
                .open(backend, seam);
    }
}
