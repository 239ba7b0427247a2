package org.rapidsrivers.core.testing;

import java.util.SortedSet;
import java.util.TreeSet;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Catalog;

/** Understands a catalog of advertised topics kept in memory, for tests. */
public final class InMemoryCatalog implements Catalog {
    private final SortedSet<Topic> topics = new TreeSet<>();

    @Override
    public synchronized boolean advertise(Topic topic) {
        return topics.add(topic);
    }

    @Override
    public synchronized SortedSet<Topic> topics() {
        return new TreeSet<>(topics);
    }
}
