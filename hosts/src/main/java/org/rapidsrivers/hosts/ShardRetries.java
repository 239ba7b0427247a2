package org.rapidsrivers.hosts;

import java.time.Duration;

/**
 * Understands how a host treats a shard that fails: how big its next batch may be (halved after an
 * exception, to bisect down to the failing record), which record it is stuck on, how often that record
 * failed, and when to try again (backing off, doubling per attempt), timed on the monotonic clock so a
 * jump of the wall clock neither hurries nor holds up a retry.
 */
final class ShardRetries {
    private final int fullBatch;
    private int batchLimit;
    private long retryAtNanos;
    private boolean waiting;
    private String failingRecord;
    private int attempts;

    ShardRetries(int fullBatch) {
        this.fullBatch = fullBatch;
        this.batchLimit = fullBatch;
    }

    int batchLimit() {
        return batchLimit;
    }

    /** True when the batch could still be split: then a retry with half the batch comes first. */
    boolean bisect() {
        if (batchLimit <= 1) {
            return false;
        }
        batchLimit = Math.max(1, batchLimit / 2);
        return true;
    }

    boolean due(long nowNanos) {
        return !waiting || nowNanos - retryAtNanos >= 0;
    }

    /** Counts another failure of the record and returns how many it has had in a row. */
    int failed(String record) {
        if (!record.equals(failingRecord)) {
            failingRecord = record;
            attempts = 0;
        }
        return ++attempts;
    }

    /** The next try comes after the backoff, doubled for every attempt so far (at most 64 times). */
    void retryLater(long nowNanos, Duration backoff) {
        waiting = true;
        retryAtNanos = nowNanos + backoff.toNanos() * (1L << Math.min(6, Math.max(0, attempts - 1)));
    }

    void succeeded() {
        batchLimit = fullBatch;
        waiting = false;
        failingRecord = null;
        attempts = 0;
    }
}
