package org.rapidsrivers.cli.bench;

/** Understands the size of a benchmark run. */
record BenchSettings(int events, int rivers, int rate, int latencySeconds, int readers) {
    int latencyEvents() {
        return rate * latencySeconds;
    }
}
