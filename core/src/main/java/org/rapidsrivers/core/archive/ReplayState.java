package org.rapidsrivers.core.archive;

import java.time.Instant;
import org.rapidsrivers.core.names.RiverName;

/**
 * Understands one replay: its generation (a number no other replay of the stage has, carried by every
 * message it sends), the river it fills, what it sends (its filter: types, chain; and its window), and how
 * far it got: the archive position of the last event sent and how many were sent. Run again into the same
 * river with the same filter, an unfinished replay resumes after its position, with its own window (a
 * window typed as "2h" ago means another time when run again).
 */
public record ReplayState(long generation, RiverName river, String filter, Instant since, Instant until, String position,
                          long sent) {
    public ReplayState advancedTo(String newPosition, int more) {
        return new ReplayState(generation, river, filter, since, until, newPosition, sent + more);
    }
}
