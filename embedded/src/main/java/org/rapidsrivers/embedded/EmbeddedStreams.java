package org.rapidsrivers.embedded;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.rapidsrivers.core.plane.LeaseTable;
import org.rapidsrivers.core.plane.StreamRecord;

/**
 * Understands what a host needs of the embedded stage's streams, and nothing else of the embedded
 * backend: its shards, the records after a checkpoint, the checkpoints, the lease table, one write
 * transaction around a batch and its checkpoint (fenced by the lease), trimming, and a bell that rings
 * when this process appends. The hosts module reaches the embedded backend only through this.
 */
public final class EmbeddedStreams {
    private final Database db;
    private final EmbeddedLog log;
    private final Doorbell doorbell;
    private final EmbeddedLeaseTable leases;
    private final String rapids;
    private final Supplier<Optional<Duration>> archiveRetention;

    EmbeddedStreams(Database db, EmbeddedLog log, Doorbell doorbell, String rapids,
                    Supplier<Optional<Duration>> archiveRetention) {
        this.db = db;
        this.log = log;
        this.doorbell = doorbell;
        this.rapids = rapids;
        this.archiveRetention = archiveRetention;
        this.leases = new EmbeddedLeaseTable(db);
    }

    public List<String> shardIds() {
        List<String> ids = new ArrayList<>();
        for (int shard = 0; shard < EmbeddedLog.SHARDS; shard++) {
            ids.add(EmbeddedLog.shardId(shard));
        }
        return ids;
    }

    public long checkpoint(String stream, String consumer, String shardId) {
        return log.checkpoint(stream, consumer, shard(shardId));
    }

    public void checkpoint(String stream, String consumer, String shardId, long seq) {
        log.checkpoint(stream, consumer, shard(shardId), seq);
    }

    public boolean hasRecordsAfter(String stream, String shardId, long seq) {
        return log.hasRecordsAfter(stream, shard(shardId), seq);
    }

    /** Up to {@code limit} records of the shard after {@code afterSeq}, oldest first. */
    public List<StreamRecord> read(String stream, String shardId, long afterSeq, int limit) {
        return log.read(stream, shard(shardId), afterSeq, limit);
    }

    /**
     * Runs the work in one write transaction that commits only if {@code fence} still holds its lease
     * when it starts: a batch and its checkpoint commit together or not at all, and a host that lost its
     * lease changes nothing. Empty when the fence no longer holds.
     */
    public <T> Optional<T> atomically(LeaseTable.Fence fence, Supplier<T> work) {
        return db.write(() -> leases.holds(fence.lease(), fence.holder(), fence.generation())
                ? Optional.ofNullable(work.get()) : Optional.empty());
    }

    public LeaseTable leases() {
        return leases;
    }

    /**
     * Forgets records older than the cutoff, except those a river message still names (its body). The
     * rapids is the archive: its records go only after the stage's archive retention (none: kept).
     */
    public int trimOlderThan(String stream, Instant cutoff) {
        if (stream.equals(rapids)) {
            Optional<Duration> keep = archiveRetention.get();
            return keep.isEmpty() ? 0 : log.trimOlderThan(stream, Instant.now().minus(keep.get()));
        }
        return log.trimOlderThan(stream, cutoff);
    }

    /** How often the stream's bell has rung so far: pass it to {@link #awaitAppend} to wait for the next. */
    public long appends(String stream) {
        return doorbell.stream(stream).rings();
    }

    /** Waits until this process appends to the stream after {@code seen}, or the timeout passes (other processes are polled). */
    public void awaitAppend(String stream, long seen, Duration timeout) throws InterruptedException {
        doorbell.stream(stream).awaitAfter(seen, timeout);
    }

    /** Wakes whoever waits for the stream, as an append would. */
    public void wake(String stream) {
        doorbell.stream(stream).ring();
    }

    private static int shard(String shardId) {
        return Integer.parseInt(shardId.substring(shardId.lastIndexOf('-') + 1));
    }
}
