package org.rapidsrivers.core.operate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;

/**
 * Understands how a batch of routed events is summed up before it is noted: one note per publisher
 * and event type, with the count, the newest timestamp and, for {@code ServiceStarted} and
 * {@code ServiceAlive} (what a service says it is and that it still is), the newest payload. Both backends keep these sums, so they note the same thing.
 */
public final class TrafficNotes {
    /** The event every service publishes when it starts (see the service API's ServiceRunner). */
    public static final String SERVICE_STARTED = "ServiceStarted";
    /** The heartbeat a running service publishes every interval, with what it handled so far. */
    public static final String SERVICE_ALIVE = "ServiceAlive";
    /** What a service publishes when it stops, with what it handled. */
    public static final String SERVICE_STOPPED = "ServiceStopped";
    /** The pond entry where a deployed function notes its last batch: it has no heartbeat. */
    public static final String LAST_BATCH = "rr/last-batch";

    private TrafficNotes() {
    }

    /** The newest word of each instance among the events (ServiceStarted, ServiceAlive, ServiceStopped). */
    public static List<InstanceNote> instances(List<Event> routed) {
        Map<String, InstanceNote> newest = new LinkedHashMap<>();
        for (Event event : routed) {
            InstanceNote.of(event).ifPresent(note -> newest.merge(note.service() + "\n" + note.instanceId(), note,
                    (a, b) -> b.lastAt().isBefore(a.lastAt()) ? a : b));
        }
        return new ArrayList<>(newest.values());
    }

    public static List<Traffic> sum(List<Event> routed) {
        Map<String, Traffic> sums = new LinkedHashMap<>();
        for (Event event : routed) {
            Instant at = event.timestamp();
            Optional<String> payload = event.type().value().equals(SERVICE_STARTED) || event.type().value().equals(SERVICE_ALIVE)
                    ? Optional.of(Json.compact(event.payload())) : Optional.empty();
            sums.merge(event.domain() + "\n" + event.type().value(), new Traffic(event.domain(), event.type(), 1, at, payload),
                    (a, b) -> new Traffic(a.domain(), a.type(), a.count() + 1, b.last().isAfter(a.last()) ? b.last() : a.last(),
                            b.last().isAfter(a.last()) || a.lastPayload().isEmpty() ? b.lastPayload().or(a::lastPayload)
                                    : a.lastPayload()));
        }
        return new ArrayList<>(sums.values());
    }
}
