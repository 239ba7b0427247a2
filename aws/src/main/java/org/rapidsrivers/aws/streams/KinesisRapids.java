package org.rapidsrivers.aws.streams;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.Rapids;

/** Understands how to put events on the rapids stream: one PutRecord for one event, PutRecords for many. */
public final class KinesisRapids implements Rapids {
    private final KinesisStream stream;

    public KinesisRapids(KinesisStream stream) {
        this.stream = stream;
    }

    @Override
    public void publish(Event event) {
        event.checkSize();
        stream.put(event.partitionKey(), event.toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void publishAll(List<Event> events) {
        events.forEach(Event::checkSize);
        stream.putAll(events.stream()
                .map(e -> new KinesisStream.Entry(e.partitionKey(), e.toJson().getBytes(StandardCharsets.UTF_8)))
                .toList());
    }
}
