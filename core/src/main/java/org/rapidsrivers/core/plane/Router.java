package org.rapidsrivers.core.plane;

import java.util.List;

/** Understands how to deliver events to every river subscribed to their type (SNS, or the embedded routing table). */
public interface Router {
    /**
     * Delivers the events in order. Routing stops at the first event that cannot be delivered
     * after retries; the result names it, and every event before it has been delivered.
     */
    RouteResult route(List<EventRecord> events);

    /** How many calls (publishes, transactions) this router has made so far, for the planes' metrics. */
    default long calls() {
        return 0;
    }
}
