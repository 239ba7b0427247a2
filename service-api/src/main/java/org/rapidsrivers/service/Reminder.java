package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;

/**
 * Understands a reminder a service sets itself ({@link RapidsConnection#remind}): a message of its own in
 * its river, never an event on the rapids, so whichever instance receives it when it is due handles it.
 * It carries its kind, its key, when it is due, and the event it was set while handling (its cause), so
 * what its handler publishes joins that chain under the same eventIds on any instance.
 */
record Reminder(String service, String kind, String key, Instant due, Event cause) {
    private static final String MARK = "rrReminder";
    private static final String PREFIX = "{\"" + MARK + "\"";

    String toText() {
        ObjectNode text = Json.object();
        text.putObject(MARK).put("service", service).put("kind", kind).put("key", key).put("due", due.toString());
        text.put("cause", cause.toJson());
        return Json.compact(text);
    }

    /** The reminder a message is, or empty for anything else (an event). */
    /** Whether a message is a reminder by its first characters, without reading it. */
    static boolean marks(String body) {
        return body != null && body.startsWith(PREFIX);
    }

    static Optional<Reminder> in(String body) {
        if (!marks(body)) {
            return Optional.empty();
        }
        try {
            JsonNode text = Json.parse(body);
            JsonNode mark = text.path(MARK);
            return Optional.of(new Reminder(mark.path("service").asText(), mark.path("kind").asText(), mark.path("key").asText(),
                    Instant.parse(mark.path("due").asText()), Event.parse(text.path("cause").asText())));
        } catch (RuntimeException broken) {
            throw new InvalidInput("a reminder in the river cannot be read: " + broken.getMessage());
        }
    }

    /** Where what its handler publishes gets its eventIds: the same on every instance and every attempt. */
    String namespace() {
        return "reminder/" + kind + "/" + key;
    }
}
