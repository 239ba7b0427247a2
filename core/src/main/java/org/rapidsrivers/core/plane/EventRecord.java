package org.rapidsrivers.core.plane;

import org.rapidsrivers.core.event.Event;

/** Understands an event together with the stream record it arrived in, which names it uniquely on its stream. */
public record EventRecord(Event event, StreamRecord record) {
}
