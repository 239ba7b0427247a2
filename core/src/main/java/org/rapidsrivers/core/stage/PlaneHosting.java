package org.rapidsrivers.core.stage;

import java.util.ServiceLoader;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands running a stage's two planes inside this process, for a backend whose planes run in the
 * processes that use it (embedded: any process may, the one holding a stream's lease does the work).
 * The module {@code hosts} provides it, found on the class path as backends are, so a service that
 * depends only on {@code service-api} still gets its planes when {@code hosts} is there at run time.
 */
public interface PlaneHosting {
    /** Starts hosting the backend's planes here; closing what it returns stops them. */
    AutoCloseable host(Backend backend);

    /**
     * The planes hosted here if the backend's kind needs that (embedded), else nothing to close; one line
     * says what to add when the module that hosts them is not on the class path.
     */
    static AutoCloseable where(Backend backend) {
        if (!backend.kind().equals(StageOptions.EMBEDDED)) {
            return () -> { };
        }
        return ServiceLoader.load(PlaneHosting.class, PlaneHosting.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new BackendUnavailable("the embedded backend's planes run in the processes that use it,"
                        + " and the module that runs them is not on this program's class path: add the artifact"
                        + " org.rapidsrivers:hosts (at run time)"))
                .host(backend);
    }
}
