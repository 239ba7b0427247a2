package org.rapidsrivers.core.testing;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.StreamRecord;

/** Understands dead letters kept in memory, for tests. */
public final class InMemoryDeadLetters implements DeadLetters {
    private final List<Buried> buried = new ArrayList<>();
    private boolean failNext;

    @Override
    public synchronized void bury(StreamRecord record, String reason) {
        if (failNext) {
            failNext = false;
            throw new IllegalStateException("injected: the dead-letter destination does not answer");
        }
        buried.add(new Buried(record, reason));
    }

    /** The next bury fails, as an unreachable dead-letter queue would. */
    public synchronized void failNextBury() {
        failNext = true;
    }

    public synchronized List<Buried> buried() {
        return List.copyOf(buried);
    }

    /** Understands one record that was given up on, and why. */
    public record Buried(StreamRecord record, String reason) {
    }
}
