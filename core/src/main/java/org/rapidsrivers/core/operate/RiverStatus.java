package org.rapidsrivers.core.operate;

import java.time.Duration;
import java.util.Optional;
import java.util.SortedSet;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands how a river is doing: its topics, what waits in it, what readers hold, what it gave up on,
 * and how long the oldest waiting message has waited (empty where the backend cannot tell).
 */
public record RiverStatus(RiverName river, SortedSet<Topic> topics, long visible, long inFlight, long deadLettered,
                          Optional<Duration> oldestAge) {
    /** Something is stuck when messages were given up on, or the oldest has waited longer than {@code patience}. */
    public boolean stuck(Duration patience) {
        return deadLettered > 0 || oldestAge.map(age -> age.compareTo(patience) > 0).orElse(false);
    }
}
