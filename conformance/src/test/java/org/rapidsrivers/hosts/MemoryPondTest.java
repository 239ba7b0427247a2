package org.rapidsrivers.hosts;

import java.util.HashMap;
import java.util.Map;
import org.rapidsrivers.core.ports.Pond;

/** The pond promises in memory, as TestRapids gives them to services under test. */
class MemoryPondTest extends PondConformance {
    private final Map<String, Pond> ponds = new HashMap<>();

    @Override
    protected Pond pond(String service) {
        return ponds.computeIfAbsent(service, s -> Pond.inMemory(clock));
    }
}
