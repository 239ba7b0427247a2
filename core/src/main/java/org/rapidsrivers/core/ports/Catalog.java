package org.rapidsrivers.core.ports;

import java.util.SortedSet;
import org.rapidsrivers.core.names.Topic;

/** Understands the catalog of topics that services advertise for others to consume. */
public interface Catalog {
    /** Idempotent: whether the topic is new to the catalog (false when it was advertised before). */
    boolean advertise(Topic topic);

    SortedSet<Topic> topics();
}
