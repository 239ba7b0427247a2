package org.rapidsrivers.core.ports;

import java.util.SortedSet;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/** Understands which topics flow into which river (a filter policy on AWS, a routing table embedded). */
public interface Subscriptions {
    /** The river's topics, sorted; empty for a river with none or a river that does not exist. */
    SortedSet<Topic> topicsOf(RiverName river);

    /** Idempotent: subscribing twice changes nothing the second time. The river must exist. */
    void subscribe(RiverName river, Topic topic);

    /** Idempotent; a river left with no topics stays but receives nothing. */
    void unsubscribe(RiverName river, Topic topic);
}
