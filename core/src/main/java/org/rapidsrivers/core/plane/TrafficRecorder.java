package org.rapidsrivers.core.plane;

import java.util.List;
import org.rapidsrivers.core.event.Event;

/**
 * Understands keeping note of what the fan-out routed: per publisher (domain) and event type, how
 * many and when last, and the last {@code ServiceStarted} payload of each service. Operators read it
 * back for status and topology; losing a note never holds up delivery.
 */
public interface TrafficRecorder {
    TrafficRecorder NONE = events -> {
    };

    void record(List<Event> routed);
}
