package org.rapidsrivers.core.operate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands how a river is doing: its topics, what waits in it, what readers hold, what it gave up on, how
 * long its oldest message has been in it (waiting or in hand, counted from when it was sent), how long the
 * oldest waiting one has waited, and since when the river exists (each empty where the backend cannot tell,
 * or when there is none), and what of each topic it wants when not the whole: the filter's words by topic.
 */
public record RiverStatus(RiverName river, SortedSet<Topic> topics, long visible, long inFlight, long deadLettered,
                          Optional<Duration> oldestAge, Optional<Duration> oldestWaiting, Optional<Instant> since,
                          SortedMap<Topic, String> filters) {
    public RiverStatus {
        filters = Collections.unmodifiableSortedMap(new TreeMap<>(filters));
    }

    public RiverStatus(RiverName river, SortedSet<Topic> topics, long visible, long inFlight, long deadLettered,
                       Optional<Duration> oldestAge, Optional<Duration> oldestWaiting, Optional<Instant> since) {
        this(river, topics, visible, inFlight, deadLettered, oldestAge, oldestWaiting, since, new TreeMap<>());
    }

    /** The river's status with what its policy says of each topic. */
    public RiverStatus with(RiverPolicy policy) {
        SortedMap<Topic, String> filtered = new TreeMap<>();
        policy.topics().forEach((topic, filter) -> {
            if (!filter.isWhole()) {
                filtered.put(topic, filter.text());
            }
        });
        return new RiverStatus(river, new TreeSet<>(policy.topics().keySet()), visible, inFlight, deadLettered, oldestAge,
                oldestWaiting, since, filtered);
    }

    /** A topic as status shows it: {@code Offer} or {@code Offer where source=location}. */
    public String describe(Topic topic) {
        String filter = filters.get(topic);
        return filter == null ? topic.value() : topic.value() + " where " + filter;
    }
}
