package org.rapidsrivers.core.operate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;

/**
 * Understands what one instance of a service last said of itself (ServiceStarted, ServiceAlive,
 * ServiceStopped): which service and instance, when it started and when it last said anything, and what it
 * said (the event's payload: its river, its counters since its own start). Kept per instance, so a restarted
 * instance has a row of its own and never shows another's counters.
 */
public record InstanceNote(String service, String instanceId, State state, Instant startedAt, Instant lastAt, String payload) {
    /** An instance id or service name longer than this is nobody's: such a note is not kept. */
    public static final int LONGEST_NAME = 128;

    /** Understands what an instance last said it was doing. */
    public enum State {
        STARTED, ALIVE, STOPPED
    }

    /** The note an event makes, if it is an instance's word about itself (it names its instanceId). */
    public static Optional<InstanceNote> of(Event event) {
        State state = switch (event.type().value()) {
            case TrafficNotes.SERVICE_STARTED -> State.STARTED;
            case TrafficNotes.SERVICE_ALIVE -> State.ALIVE;
            case TrafficNotes.SERVICE_STOPPED -> State.STOPPED;
            default -> null;
        };
        JsonNode payload = event.payload();
        // a deployed function has no instances to follow (each cold start is one): its pond notes its batches
        if (state == null || payload == null || !payload.path("instanceId").isTextual()
                || payload.path("instanceId").asText().length() > LONGEST_NAME || payload.path("deployed").asBoolean(false)
                || payload.path("service").asText(event.domain()).length() > LONGEST_NAME) {
            return Optional.empty();
        }
        // a heartbeat that does not say how often it beats is no sign of life anyone can judge
        if (state == State.ALIVE && !(payload.path("everyMs").isIntegralNumber() && payload.path("everyMs").asLong() > 0)) {
            return Optional.empty();
        }
        Instant at = event.timestamp();
        Instant started = state == State.STARTED ? at : startedAt(payload).orElse(at);
        return Optional.of(new InstanceNote(payload.path("service").asText(event.domain()), payload.get("instanceId").asText(),
                state, started, at, Json.compact(payload)));
    }

    private static Optional<Instant> startedAt(JsonNode payload) {
        try {
            return payload.path("startedAt").isTextual() ? Optional.of(Instant.parse(payload.get("startedAt").asText()))
                    : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** What it said last, as JSON (an empty object if that cannot be read). */
    public JsonNode said() {
        try {
            return Json.parse(payload);
        } catch (RuntimeException unreadable) {
            return Json.object();
        }
    }

    /** Its heartbeat's interval, as it said it (empty when it said none). */
    public Optional<Duration> every() {
        long every = said().path("everyMs").asLong(0);
        return every > 0 ? Optional.of(Duration.ofMillis(every)) : Optional.empty();
    }

    /** A counter it said (handled, failed, duplicates), or empty. */
    public Optional<Long> counter(String name) {
        JsonNode value = said().path(name);
        return value.isIntegralNumber() ? Optional.of(value.asLong()) : Optional.empty();
    }
}
