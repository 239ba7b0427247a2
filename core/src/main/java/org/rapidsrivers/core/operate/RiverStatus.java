package org.rapidsrivers.core.operate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands how a river is doing: its topics, what waits in it, what readers hold, what it gave up on, how
 * long its oldest message has been in it (waiting or in hand, counted from when it was sent), how long the
 * oldest waiting one has waited, and since when the river exists (each empty where the backend cannot tell,
 * or when there is none).
 */
public record RiverStatus(RiverName river, SortedSet<Topic> topics, long visible, long inFlight, long deadLettered,
                          Optional<Duration> oldestAge, Optional<Duration> oldestWaiting, Optional<Instant> since) {
}
