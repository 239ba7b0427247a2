package org.rapidsrivers.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rapidsrivers.core.event.Event;

/**
 * Understands where a service keeps its open needs and the solutions gathered for them, so that a
 * service that dies during a window comes back with them and still decides: in the service's pond
 * by default, in memory where losing them with the process is acceptable.
 */
public interface NeedStore {
    void opened(String needId, Event question, Instant deadline);

    /** Keeps a solution once, by its eventId. */
    void solved(String needId, Event solution);

    void decided(String needId);

    /** The needs not yet decided, each with the solutions kept for it, in the order they came. */
    List<Stored> open();

    /** Understands one open need as kept. */
    record Stored(String needId, Event question, Instant deadline, List<Event> solutions) {
    }

    /** In the pond, under {@code need/<solutionType>/}: shared by the service's instances, kept across restarts. */
    static NeedStore inPond(org.rapidsrivers.core.ports.Pond pond, String solutionType) {
        return new PondNeedStore(pond, solutionType);
    }

    static NeedStore inMemory() {
        Map<String, Stored> open = new LinkedHashMap<>();
        return new NeedStore() {
            @Override
            public synchronized void opened(String needId, Event question, Instant deadline) {
                open.putIfAbsent(needId, new Stored(needId, question, deadline, new ArrayList<>()));
            }

            @Override
            public synchronized void solved(String needId, Event solution) {
                Stored need = open.get(needId);
                if (need != null && need.solutions().stream().noneMatch(s -> s.id().equals(solution.id()))) {
                    need.solutions().add(solution);
                }
            }

            @Override
            public synchronized void decided(String needId) {
                open.remove(needId);
            }

            @Override
            public synchronized List<Stored> open() {
                return List.copyOf(open.values());
            }
        };
    }
}
