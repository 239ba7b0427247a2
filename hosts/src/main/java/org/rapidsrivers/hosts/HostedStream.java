package org.rapidsrivers.hosts;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.plane.LeaseTable;
import org.rapidsrivers.core.plane.StreamRecord;

/**
 * Understands a source a {@link StreamHost} runs a function over, the way an event source mapping
 * reads it: its shards, a batch read after each shard's checkpoint and handed to the function, the
 * checkpoint moved past what succeeded (only while the writer's lease still holds), and the record it
 * is stuck on given up to the on-failure destination. The embedded log and Kinesis each implement it
 * once; the host does the rest (batches, retries, bisecting, leases, idling, draining) for both.
 */
public interface HostedStream {
    /** Who runs over what, for what the host says: "data-plane on Rapids-dev". */
    String describe();

    /** Where the lease of this source is kept, and under which name. */
    LeaseTable leases();

    String leaseName();

    /** The shards to read now. */
    List<String> shards();

    /** A cheap look: false when the shard surely has nothing after its checkpoint. */
    boolean mayHaveWork(String shard);

    /** Reads up to {@code limit} records after the shard's checkpoint and hands them to the function. */
    BatchOutcome runBatch(String shard, int limit, LeaseTable.Fence fence);

    /**
     * Sends the record the shard is stuck on ({@code sequenceNumber}, or the first after the checkpoint)
     * to the on-failure destination with the reason, and moves the checkpoint past it; the record, or
     * empty when there was none or the lease no longer holds.
     */
    Optional<StreamRecord> giveUp(String shard, Optional<String> sequenceNumber, String reason, LeaseTable.Fence fence);

    /** The lease went elsewhere: forget where reading had got to. */
    void lostLease();

    /** Housekeeping now and then (the embedded log trims what its retention no longer keeps). */
    void upkeep(HostSettings settings);

    /** A ticket for {@link #awaitWork}: taken before looking, so nothing that arrives after the look is slept through. */
    long ticket();

    /** Waits until something may have arrived after the ticket, or the timeout passes. */
    void awaitWork(long ticket, Duration timeout) throws InterruptedException;

    /** Wakes a waiting {@link #awaitWork}. */
    void wake();

    /** Understands what came of one batch. */
    record BatchOutcome(Kind kind, String failedFrom, String reason, boolean progressed) {
        /** Understands the kinds of outcome. */
        public enum Kind { NOTHING, DONE, FAILED, THREW, FENCED, UNREACHABLE }

        public static final BatchOutcome NOTHING = new BatchOutcome(Kind.NOTHING, null, "", false);
        public static final BatchOutcome DONE = new BatchOutcome(Kind.DONE, null, "", true);
        public static final BatchOutcome FENCED = new BatchOutcome(Kind.FENCED, null, "the lease went elsewhere", false);

        /** The function reported records failed from {@code sequenceNumber} on; what came before succeeded. */
        public static BatchOutcome failed(String sequenceNumber, String reason, boolean progressed) {
            return new BatchOutcome(Kind.FAILED, sequenceNumber, reason, progressed);
        }

        /** The stage itself could not be reached (a full disk, a locked database): no record is at fault. */
        public static BatchOutcome unreachable(String reason, boolean progressed) {
            return new BatchOutcome(Kind.UNREACHABLE, null, reason, progressed);
        }

        /** The function threw on a batch starting at {@code firstSequenceNumber}: nothing of that batch counts. */
        public static BatchOutcome threw(String firstSequenceNumber, String reason, boolean progressed) {
            return new BatchOutcome(Kind.THREW, firstSequenceNumber, reason, progressed);
        }
    }
}
