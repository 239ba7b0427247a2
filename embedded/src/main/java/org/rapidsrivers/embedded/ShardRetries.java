package org.rapidsrivers.embedded;

import java.time.Duration;

/**
 * Understands how a host treats a shard that fails: how big its next batch may be (halved after an
 * exception, to bisect down to the failing record), which record it is stuck on, how often that record
 * failed, and when to try again (backing off, doubling per attempt).
 */
public final class ShardRetries {
    private final int fullBatch;
    private int batchLimit;
    private long retryAtMillis;
    private String failingRecord;
    private int attempts;

    public ShardRetries(int fullBatch) {
        this.fullBatch = fullBatch;
        this.batchLimit = fullBatch;
    }

    public int batchLimit() {
        return batchLimit;
    }

    /** True when the batch could still be split: then a retry with half the batch comes first. */
    public boolean bisect() {
        if (batchLimit <= 1) {
            return false;
        }
        batchLimit = Math.max(1, batchLimit / 2);
        return true;
    }

    public boolean due(long nowMillis) {
        return retryAtMillis <= nowMillis;
    }

    /** Counts another failure of the record and returns how many it has had in a row. */
    public int failed(String record) {
        if (!record.equals(failingRecord)) {
            failingRecord = record;
            attempts = 0;
        }
        return ++attempts;
    }

    public int attempts() {
        return attempts;
    }

    /** The next try comes after the backoff, doubled for every attempt so far (at most 64 times). */
    public void retryLater(long nowMillis, Duration backoff) {
        retryAtMillis = nowMillis + backoff.toMillis() * (1L << Math.min(6, Math.max(0, attempts - 1)));
    }

    public void succeeded() {
        batchLimit = fullBatch;
        retryAtMillis = 0;
        failingRecord = null;
        attempts = 0;
    }
}
