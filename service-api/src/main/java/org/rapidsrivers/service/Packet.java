package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.rapidsrivers.core.event.Event;

/**
 * Understands an event as a river's handler sees it: the envelope's fields, and the payload fields
 * the river declared. Reading a field that was not declared is an error, so what a service depends
 * on is written in its rules, where anyone can read it.
 */
public final class Packet {
    private final Event event;
    private final Set<String> declared;
    private final long replay;

    Packet(Event event, Set<String> declared, long replay) {
        this.event = event;
        this.declared = declared;
        this.replay = replay;
    }

    /**
     * The generation of the replay that sent this event again (rr replay), 0 when it came live from the
     * rapids. What a handler publishes for a replayed event gets ids of that generation, so downstream
     * services handle it as new rather than skipping it as a duplicate of the first run's.
     */
    public long replay() {
        return replay;
    }

    public String id() {
        return event.id();
    }

    public String type() {
        return event.type().value();
    }

    public String domain() {
        return event.domain();
    }

    public Instant timestamp() {
        return event.timestamp();
    }

    /** The correlation id the chain of events shares: the event's own, else its id (it starts a chain). */
    public String correlationId() {
        return event.correlationId().orElse(event.id());
    }

    public Optional<String> causationId() {
        return event.causationId();
    }

    /** How many hops the event has travelled from the event that started its chain. */
    public int hops() {
        return event.hops();
    }

    /** A declared payload field; null when it is absent. */
    public JsonNode get(String key) {
        if (!declared.contains(key)) {
            throw new IllegalStateException("'" + key + "' was not declared by this river: add requireKey(\"" + key
                    + "\") or interestedIn(\"" + key + "\") to its rules");
        }
        return raw(key);
    }

    /** A declared payload field as text; null when it is absent. */
    public String text(String key) {
        JsonNode node = get(key);
        return node == null || node.isNull() ? null : node.asText();
    }

    public Event event() {
        return event;
    }

    /** For the rules themselves, which declare what they read. */
    JsonNode raw(String key) {
        JsonNode payload = event.payload();
        return payload == null || !payload.isObject() ? null : payload.get(key);
    }

    /** A packet of an event kept earlier, with the keys its river declared. */
    static Packet declared(Event event, Set<String> keys) {
        return new Packet(event, keys, 0);
    }

    Packet declaring(Set<String> keys) {
        return new Packet(event, keys, replay);
    }
}
