package org.rapidsrivers.core.archive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.ports.Rivers;

/**
 * Understands a replay from start to end, the same on every backend: the river must exist, the types
 * must be ones the archive holds, and an empty answer sends nothing and says so; then batches in archive
 * order, each sent and noted by the archive, at most {@code rate} events a second when given. An
 * unfinished replay of the same query into the same river is resumed after its position, with its
 * generation, so a replay killed and run again sends what it had not sent. What the fan-out could never have
 * routed (the archive keeps whatever reached the rapids: a record that is no whole envelope, one carrying a
 * reserved field, one too large) is left out and counted, never sent into a river.
 */
public final class Replayer {
    private final Archive archive;
    private final Rivers rivers;
    private final int batchSize;

    public Replayer(Archive archive, Rivers rivers, int batchSize) {
        this.archive = archive;
        this.rivers = rivers;
        this.batchSize = batchSize;
    }

    /** What a replay did: its state at the end, whether it resumed an earlier run, and the records it left out. */
    public record Outcome(ReplayState state, boolean resumed, long sentNow, long leftOut) {
    }

    /** Whether the fan-out would have routed it: a whole envelope (as every service reads it) within SNS's size. */
    public static boolean routable(ArchivedEvent archived) {
        try {
            Event.parse(archived.data()).checkSize();
            return true;
        } catch (InvalidInput never) {
            return false;
        }
    }

    public Outcome replay(RiverName into, ArchiveQuery query, double perSecond,
                          BiConsumer<ReplayState, Boolean> started, LongConsumer progress, BooleanSupplier stop) {
        if (!rivers.exists(into)) {
            throw new InvalidInput("river '" + into + "' does not exist: a replay fills an existing river only"
                    + " (subscribe it to a topic to create it)");
        }
        requireKnownTypes(query);
        Optional<ReplayState> earlier = archive.unfinishedReplay(into, query.filter());
        ReplayState state = earlier.orElse(null);
        ArchiveQuery wanted = earlier.map(e -> query.over(e.since(), e.until())).orElse(query);
        long sentNow = 0;
        long leftOut = 0;
        long began = System.nanoTime();
        try (Archive.Cursor cursor = archive.open(wanted, earlier.map(ReplayState::position).orElse(""))) {
            if (!cursor.hasNext() && earlier.isEmpty()) {
                throw new InvalidInput("nothing archived matches " + query.describe() + ": nothing sent");
            }
            if (state == null) {
                state = archive.startReplay(into, query);
            }
            started.accept(state, earlier.isPresent());
            List<ArchivedEvent> batch = new ArrayList<>(batchSize);
            while (cursor.hasNext() && !stop.getAsBoolean()) {
                ArchivedEvent next = cursor.next();
                if (routable(next)) {
                    batch.add(next);
                } else {
                    leftOut++;
                }
                if (!batch.isEmpty() && (batch.size() == batchSize || !cursor.hasNext())) {
                    pace(perSecond, sentNow + batch.size(), began);
                    state = archive.deliver(state, batch);
                    sentNow += batch.size();
                    batch.clear();
                    progress.accept(state.sent());
                }
            }
            if (!stop.getAsBoolean()) {
                archive.finish(state);
            }
        }
        return new Outcome(state, earlier.isPresent(), sentNow, leftOut);
    }

    private void requireKnownTypes(ArchiveQuery query) {
        if (query.types().isEmpty()) {
            return;
        }
        var known = archive.types();
        List<String> unknown = query.types().stream().map(t -> t.value()).filter(t -> !known.contains(t)).toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInput("the archive holds no event of type " + String.join(", ", unknown)
                    + " (it holds: " + (known.isEmpty() ? "nothing yet" : String.join(", ", known)) + ")");
        }
    }

    /** Waits until sending {@code upTo} events since {@code began} keeps to the rate. */
    private static void pace(double perSecond, long upTo, long began) {
        if (perSecond <= 0) {
            return;
        }
        long due = began + (long) (upTo / perSecond * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
