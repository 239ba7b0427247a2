package org.rapidsrivers.cli.bench;

/** Understands the size of a benchmark run, and how often it looks at the rivers' depth (each look costs calls on AWS). */
record BenchSettings(int events, int rivers, int rate, int latencySeconds, int readers, int depthPollMillis) {
    int latencyEvents() {
        return rate * latencySeconds;
    }
}
