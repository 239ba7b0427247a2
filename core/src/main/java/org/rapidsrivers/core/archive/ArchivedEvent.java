package org.rapidsrivers.core.archive;

import java.time.Instant;
import org.rapidsrivers.core.event.Event;

/**
 * Understands one event as the archive keeps it: the bytes that reached the rapids, when they arrived,
 * and where in the archive it lies ({@code position}, opaque: a reader resumes after it).
 */
public record ArchivedEvent(String position, String partitionKey, String data, Instant archivedAt) {
    /** The envelope, read leniently: an archive keeps whatever reached the rapids. */
    public Event event() {
        return Event.parseRoutable(data);
    }
}
