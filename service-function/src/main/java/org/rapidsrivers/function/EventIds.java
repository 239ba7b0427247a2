package org.rapidsrivers.function;

import com.fasterxml.jackson.databind.JsonNode;
import org.rapidsrivers.core.json.Json;

/** Understands where a message's eventId is, for the line that says it failed: the envelope's, else none. */
final class EventIds {
    private EventIds() {
    }

    /** The message's eventId, or empty when it is not an event (a reminder, or not JSON at all). */
    static String of(String body) {
        try {
            JsonNode node = Json.parse(body);
            return node.path("eventId").isTextual() ? node.get("eventId").asText() : "";
        } catch (RuntimeException notJson) {
            return "";
        }
    }
}
