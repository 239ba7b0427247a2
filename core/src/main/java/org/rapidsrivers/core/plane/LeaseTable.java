package org.rapidsrivers.core.plane;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Understands where stream hosts keep their leases, changed only by compare-and-set and never judged
 * by a clock: each lease names its holder, a generation (one more at every change of holder, so a
 * holder that lost the lease is fenced off from writing) and a renewal counter (one more at every
 * renewal; whoever waits times its silence on its own monotonic clock). The time a holder last wrote
 * is kept only to be shown, so an operator can see a clock that runs ahead.
 */
public interface LeaseTable {
    Optional<Row> read(String lease);

    /**
     * Takes the lease for {@code holder} if it is exactly as {@code observed} (empty: no row yet); the
     * generation it now holds at, or empty when someone changed it meanwhile.
     */
    OptionalLong take(String lease, String holder, Optional<Row> observed, Instant stamp);

    /** One more renewal, if {@code holder} still holds the lease at {@code generation}; false when it lost it. */
    boolean renew(String lease, String holder, long generation, Instant stamp);

    /** Lets the lease go (keeping its generation, so an older holder stays fenced off). */
    void release(String lease, String holder, long generation);

    /** Understands one lease as kept: free when its holder is empty. */
    record Row(String holder, long generation, long renewals, Instant stampedAt) {
        public boolean free() {
            return holder.isEmpty();
        }

        /** The row as a waiter compares it: the stamp is another clock's and says nothing. */
        public Row withoutStamp() {
            return new Row(holder, generation, renewals, Instant.EPOCH);
        }
    }

    /** Understands the lease a holder holds while it writes: every write under it checks it (the fence). */
    record Fence(String lease, String holder, long generation) {
    }
}
