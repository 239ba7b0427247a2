package org.rapidsrivers.core.ports;

import java.util.SortedSet;
import org.rapidsrivers.core.names.Topic;

/** Understands the catalog of topics that services advertise for others to consume. */
public interface Catalog {
    /** Idempotent. */
    void advertise(Topic topic);

    SortedSet<Topic> topics();
}
