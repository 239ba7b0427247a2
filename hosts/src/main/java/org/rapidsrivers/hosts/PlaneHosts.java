package org.rapidsrivers.hosts;

import org.rapidsrivers.core.stage.Backend;

/**
 * Understands how the two planes of one kind of backend are hosted inside a process: found by ServiceLoader
 * ({@code embedded} by this module, {@code aws} by hosts-aws), so a process carries only what its backends need.
 */
public interface PlaneHosts {
    /** The kind of backend (as options name it) whose planes these host. */
    String kind();

    /** Starts a host per plane on the backend, caught up once before it returns; {@code settings} null for the defaults. */
    PlaneHost start(Backend backend, HostSettings settings, String holder);
}
