package org.rapidsrivers.core.stage;

import org.rapidsrivers.core.stage.Backend;

/**
 * Understands how one kind of backend is opened. Each backend module registers one (Java's
 * ServiceLoader, META-INF/services), so a process has on its class path only the backends it uses:
 * a service on the embedded backend carries no AWS SDK.
 */
public interface BackendProvider {
    /** The name the options use: embedded, aws. */
    String kind();

    Backend open(StageOptions options);
}
