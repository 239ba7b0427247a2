package org.rapidsrivers.core.ports;

import java.util.List;
import org.rapidsrivers.core.event.Event;

/** Understands how to put events onto the rapids, the stream that carries every event. */
public interface Rapids {
    void publish(Event event);

    /** Puts many events at once, in order; either all of them are on the rapids afterwards or it throws. */
    void publishAll(List<Event> events);
}
