package org.rapidsrivers.hosts;

import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.PlaneHosting;

/** Understands how a process that knows only core asks for the planes here: {@link PlaneHost}, found by ServiceLoader. */
public final class HostedPlanes implements PlaneHosting {
    @Override
    public AutoCloseable host(Backend backend) {
        return PlaneHost.start(backend);
    }
}
