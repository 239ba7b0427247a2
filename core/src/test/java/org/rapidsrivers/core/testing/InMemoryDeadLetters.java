package org.rapidsrivers.core.testing;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.ports.DeadLetters;
import org.rapidsrivers.core.ports.StreamRecord;

/** Understands dead letters kept in memory, for tests. */
public final class InMemoryDeadLetters implements DeadLetters {
    private final List<Buried> buried = new ArrayList<>();

    @Override
    public synchronized void bury(StreamRecord record, String reason) {
        buried.add(new Buried(record, reason));
    }

    public synchronized List<Buried> buried() {
        return List.copyOf(buried);
    }

    /** Understands one record that was given up on, and why. */
    public record Buried(StreamRecord record, String reason) {
    }
}
