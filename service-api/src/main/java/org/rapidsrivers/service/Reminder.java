package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Delivery;

/**
 * Understands a reminder a service sets itself ({@link RapidsConnection#remind}): a message of its own in
 * its river, never an event on the rapids, so whichever instance receives it when it is due handles it.
 * It carries an id of its own (kept when it is put back, so a copy delivered twice is handled once), its
 * kind, its key, when it is due, and the event it was set while handling (its cause), so what its handler
 * publishes joins that chain under the same eventIds on any instance. What makes a message a reminder is
 * the river's mark beside the body ({@link Delivery#reminder()}), never the body: the rapids cannot set it.
 */
record Reminder(String id, String service, String kind, String key, Instant due, Event cause) {
    /** The furthest ahead a reminder may be due, well past any need's deadline: one further is refused when set and when read. */
    static final Duration LONGEST_AHEAD = Duration.ofHours(24);
    private static final String MARK = "rrReminder";
    /** How far a due time may lie past the horizon before it is refused: the clocks of two instances may differ. */
    private static final Duration SLACK = Duration.ofMinutes(5);

    static Reminder set(String service, String kind, String key, Instant due, Event cause, Instant now) {
        if (Duration.between(now, due).compareTo(LONGEST_AHEAD) > 0) {
            throw new InvalidInput("service " + service + " set a reminder of kind " + kind + " due " + due + ", more than "
                    + LONGEST_AHEAD.toHours() + " h ahead: the longest a reminder may wait is " + LONGEST_AHEAD.toHours() + " h");
        }
        return new Reminder(UUID.randomUUID().toString(), service, kind, key, due, cause);
    }

    String toText() {
        ObjectNode text = Json.object();
        text.putObject(MARK).put("id", id).put("service", service).put("kind", kind).put("key", key).put("due", due.toString());
        text.put("cause", cause.toJson());
        return Json.compact(text);
    }

    /**
     * The reminder a delivery is, or empty for anything else (an event). Only a delivery its river marked is
     * read as one, and only one of this service's own: anything else marked so is refused.
     */
    static Optional<Reminder> in(Delivery delivery, String service, Instant now) {
        if (!delivery.reminder()) {
            return Optional.empty();
        }
        Reminder reminder;
        try {
            JsonNode text = Json.parse(delivery.body());
            JsonNode mark = text.path(MARK);
            String kind = mark.path("kind").asText();
            String key = mark.path("key").asText();
            Instant due = Instant.parse(mark.path("due").asText());
            // a reminder set by an rr before ids: its kind, key and due time name it
            String id = mark.hasNonNull("id") ? mark.get("id").asText() : kind + "/" + key + "/" + due;
            reminder = new Reminder(id, mark.path("service").asText(), kind, key, due, Event.parse(text.path("cause").asText()));
        } catch (RuntimeException broken) {
            throw new InvalidInput("a reminder in the river cannot be read: " + broken.getMessage());
        }
        if (!reminder.service().equals(service)) {
            throw new InvalidInput("a reminder of service '" + reminder.service() + "' is in the river of service " + service
                    + ": refused (a river holds its own service's reminders only)");
        }
        if (Duration.between(now, reminder.due()).compareTo(LONGEST_AHEAD.plus(SLACK)) > 0) {
            throw new InvalidInput("a reminder of kind " + reminder.kind() + " is due " + reminder.due() + ", more than "
                    + LONGEST_AHEAD.toHours() + " h ahead: refused, not put back for ever");
        }
        return Optional.of(reminder);
    }

    /** Where what its handler publishes gets its eventIds: the same on every instance and every attempt. */
    String namespace() {
        return "reminder/" + kind + "/" + key;
    }
}
