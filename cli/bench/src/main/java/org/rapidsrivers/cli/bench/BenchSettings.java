package org.rapidsrivers.cli.bench;

import java.util.List;

/**
 * Understands the size of a benchmark run, how often it looks at the rivers' depth (each look costs calls on AWS),
 * and whether each river takes its events through a content filter (two conditions every bench event meets, so
 * the deliveries are the same and what differs is the matching).
 */
record BenchSettings(int events, int rivers, int rate, int latencySeconds, int readers, int depthPollMillis, boolean filtered) {
    /** The two conditions of a filtered river: every event of the bench meets both. */
    static final List<String> FILTER = List.of("phase=bulk,latency", "n>=0");

    int latencyEvents() {
        return rate * latencySeconds;
    }
}
