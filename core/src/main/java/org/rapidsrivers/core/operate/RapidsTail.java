package org.rapidsrivers.core.operate;

import java.time.Duration;
import java.util.List;

/**
 * Understands following the rapids from the moment it was made, as one more reader that takes nothing
 * from anyone: each poll gives the records published since the last one (their text), oldest first per
 * shard. The live page shows them as they flow; a watch for a command's outcome waits on one.
 */
public interface RapidsTail {
    List<String> poll();

    /** How often {@link #await} looks when nothing has come (Kinesis allows five reads a second per shard). */
    default Duration pollInterval() {
        return Duration.ofMillis(250);
    }

    /** Waits up to {@code atMost} for records published since the last poll; empty when none came. */
    default List<String> await(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            List<String> texts = poll();
            long left = deadline - System.nanoTime();
            if (!texts.isEmpty() || left <= 0) {
                return texts;
            }
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, pollInterval().toMillis())));
        }
    }
}
