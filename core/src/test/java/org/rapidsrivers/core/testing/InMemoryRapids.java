package org.rapidsrivers.core.testing;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.Rapids;

/** Understands a rapids that only remembers what was published, for tests of the planes. */
public final class InMemoryRapids implements Rapids {
    private final List<Event> published = new ArrayList<>();
    private int failuresToInject;

    @Override
    public synchronized void publish(Event event) {
        publishAll(List.of(event));
    }

    @Override
    public synchronized void publishAll(List<Event> events) {
        if (failuresToInject > 0) {
            failuresToInject--;
            throw new IllegalStateException("rapids unavailable (injected)");
        }
        published.addAll(events);
    }

    public synchronized void failNext(int times) {
        failuresToInject = times;
    }

    public synchronized List<Event> published() {
        return List.copyOf(published);
    }
}
