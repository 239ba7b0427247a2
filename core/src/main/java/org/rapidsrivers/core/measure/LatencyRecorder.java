package org.rapidsrivers.core.measure;

import java.util.Arrays;

/** Understands the times from send to readable and their percentiles. */
public final class LatencyRecorder {
    private long[] nanos = new long[1024];
    private int count;

    public synchronized void record(long elapsedNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = elapsedNanos;
    }

    /** The percentile in milliseconds, nearest-rank; 0 when nothing was recorded. */
    public synchronized double percentile(double p) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, rank))] / 1e6;
    }
}
