package org.rapidsrivers.core.ports;

import java.util.SortedSet;
import java.util.TreeSet;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands which topics flow into which river, and what of each topic (a filter policy on AWS, a routing
 * table embedded): a topic flows whole, or only its events that meet a {@link ContentFilter}.
 */
public interface Subscriptions {
    /** The river's topics, sorted; empty for a river with none or a river that does not exist. */
    default SortedSet<Topic> topicsOf(RiverName river) {
        return new TreeSet<>(policyOf(river).topics().keySet());
    }

    /** What the river wants of each of its topics; no topics for a river with none or one that does not exist. */
    RiverPolicy policyOf(RiverName river);

    /** The whole topic flows into the river. */
    default void subscribe(RiverName river, Topic topic) {
        subscribe(river, topic, ContentFilter.WHOLE);
    }

    /**
     * The topic's events that meet the filter flow into the river, in place of what it wanted of the topic before.
     * Idempotent: the same again changes nothing. The river must exist.
     */
    void subscribe(RiverName river, Topic topic, ContentFilter filter);

    /** Idempotent; a river left with no topics stays but receives nothing. */
    void unsubscribe(RiverName river, Topic topic);
}
