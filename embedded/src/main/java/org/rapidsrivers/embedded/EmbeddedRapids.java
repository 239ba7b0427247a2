package org.rapidsrivers.embedded;

import java.util.List;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.Rapids;

/** Understands how to put events onto the embedded rapids: refused whole if any is too large, else appended in order. */
final class EmbeddedRapids implements Rapids {
    private final EmbeddedLog log;
    private final String stream;

    EmbeddedRapids(EmbeddedLog log, String stream) {
        this.log = log;
        this.stream = stream;
    }

    @Override
    public void publish(Event event) {
        publishAll(List.of(event));
    }

    @Override
    public void publishAll(List<Event> events) {
        events.forEach(Event::checkSize);
        log.append(stream, events.stream().map(EmbeddedLog.Entry::of).toList());
    }
}
