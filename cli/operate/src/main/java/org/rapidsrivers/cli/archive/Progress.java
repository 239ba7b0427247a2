package org.rapidsrivers.cli.archive;

import java.io.PrintWriter;

/** Understands a count that grows, shown in place on a terminal and not at all elsewhere (scripts see the end only). */
final class Progress {
    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private long lastShown;

    Progress(PrintWriter err) {
        this.err = err;
    }

    void show(long count) {
        long now = System.nanoTime();
        if (terminal && now - lastShown > 100_000_000L) {
            err.print("\rsent " + count);
            err.flush();
            lastShown = now;
        }
    }

    void done() {
        if (terminal && lastShown != 0) {
            err.print("\r");
            err.flush();
        }
    }
}
