package org.rapidsrivers.hosts;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.rapidsrivers.core.plane.LeaseTable;

/**
 * Understands the right of one process at a time to process a stream, judged by no other process's
 * clock (as ZooKeeper, Chubby and the DynamoDB lock client judge theirs): the holder renews a counter
 * every third of the time-to-live; a waiter takes the lease over once holder, generation and counter
 * have not moved for the whole time-to-live as measured on the waiter's own monotonic clock. Taking
 * it raises the generation, and every write the holder makes checks the generation it holds (the
 * fence), so a holder that lost its lease (paused, or cut off) cannot write. A wall clock that jumps,
 * in any process, holds nothing up beyond one time-to-live.
 */
final class Lease {
    private final LeaseTable table;
    private final String name;
    private final String holder;
    private final Duration ttl;
    private final LongSupplier nanos;
    private final Clock wall;
    private LeaseTable.Fence held;
    private long renewedAtNanos;
    private Optional<LeaseTable.Row> observed = Optional.empty();
    private long observedAtNanos;

    Lease(LeaseTable table, String name, String holder, Duration ttl, LongSupplier nanos, Clock wall) {
        this.table = table;
        this.name = name;
        this.holder = holder;
        this.ttl = ttl;
        this.nanos = nanos;
        this.wall = wall;
    }

    /** Renews the lease when a third of it has run, or takes it when it is free or its holder fell silent; the fence if held. */
    synchronized Optional<LeaseTable.Fence> hold() {
        long now = nanos.getAsLong();
        if (held != null) {
            if (now - renewedAtNanos < ttl.toNanos() / 3) {
                return Optional.of(held);
            }
            if (table.renew(name, holder, held.generation(), wall.instant())) {
                renewedAtNanos = now;
                return Optional.of(held);
            }
            held = null;
        }
        Optional<LeaseTable.Row> row = table.read(name);
        boolean free = row.isEmpty() || row.get().free();
        Optional<LeaseTable.Row> seen = row.map(LeaseTable.Row::withoutStamp);
        if (!free && !(seen.equals(observed) && now - observedAtNanos >= ttl.toNanos())) {
            if (!seen.equals(observed)) {
                observed = seen;
                observedAtNanos = now;
            }
            return Optional.empty();
        }
        OptionalLong generation = table.take(name, holder, row, wall.instant());
        observed = Optional.empty();
        if (generation.isEmpty()) {
            return Optional.empty();
        }
        held = new LeaseTable.Fence(name, holder, generation.getAsLong());
        renewedAtNanos = now;
        return Optional.of(held);
    }

    /** The fence while held, without renewing. */
    synchronized Optional<LeaseTable.Fence> fence() {
        return Optional.ofNullable(held);
    }

    /** Lets the lease go, so the next process takes it at once. */
    synchronized void release() {
        if (held != null) {
            LeaseTable.Fence letGo = held;
            held = null;
            table.release(name, holder, letGo.generation());
        }
    }
}
