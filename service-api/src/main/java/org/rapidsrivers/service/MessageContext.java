package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands publishing in reaction to an event: what is published is caused by it (causationId
 * = its eventId), belongs to its chain (the same correlationId) and its partition, and is one hop
 * further from the chain's start. An event past the hop limit is refused and reported, never
 * published, so two services answering each other cannot loop forever.
 */
public final class MessageContext {
    /** Fred George's limit: a chain longer than this is almost certainly a loop. */
    public static final int DEFAULT_MAX_HOPS = 9;

    private final Event cause;
    private final String domain;
    private final String namespace;
    private final Publisher publisher;
    private final int maxHops;
    private final DerivedIds ids;
    private final Clock clock;
    private int published;

    MessageContext(Event cause, String domain, String namespace, Publisher publisher, int maxHops, DerivedIds ids, Clock clock) {
        this.cause = cause;
        this.domain = domain;
        this.namespace = namespace;
        this.publisher = publisher;
        this.maxHops = maxHops;
        this.ids = ids;
        this.clock = clock;
    }

    /** Publishes an event of the given type, caused by the one in hand; its eventId (null when refused). */
    public String publish(String type, JsonNode payload) {
        return publishTagged(type, payload, null, null);
    }

    /** The same, with one tag (need/solution use one to link a solution to its need). */
    String publishTagged(String type, JsonNode payload, String tag, String value) {
        int hops = cause.hops() + 1;
        // the n-th event a service publishes for a cause always has the same id (DerivedIds): published again
        // after a redelivery, it is recognised downstream as the same event; nobody else can derive it
        String id = ids.of(domain, cause.id(), namespace, published++);
        Event.Builder builder = Event.builder(Topic.of(type), domain, Json.compact(payload))
                .eventId(id)
                .causationId(cause.id())
                .correlationId(cause.correlationId().orElse(cause.id()))
                .partitionKey(cause.partitionKey())
                .hops(hops)
                .clock(clock);
        if (tag != null) {
            builder.tag(tag, value);
        }
        Event event = builder.build();
        if (hops > maxHops) {
            publisher.refused(event, "it would be hop " + hops + " of a chain that may have at most " + maxHops
                    + " (a loop?)");
            return null;
        }
        publisher.publish(event);
        return event.id();
    }

    /** Runs the action once what this context published is on the rapids (a store marks it done then). */
    public void afterPublished(Runnable action) {
        publisher.afterPublished(action);
    }

    /** The event being handled. */
    public Event cause() {
        return cause;
    }

    /** Understands where a context's events go. */
    interface Publisher {
        void publish(Event event);

        void refused(Event event, String reason);

        void afterPublished(Runnable action);
    }
}
