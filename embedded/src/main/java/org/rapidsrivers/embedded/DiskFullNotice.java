package org.rapidsrivers.embedded;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Understands what a process says about a full disk: once when its writes start being refused (what
 * happened, and what it does meanwhile), and once when a write succeeds again (how many were refused),
 * never a line per refused write.
 */
final class DiskFullNotice {
    private static volatile Consumer<String> out = line -> System.err.println(line);
    private final Path file;
    private boolean full;
    private long refused;

    DiskFullNotice(Path file) {
        this.file = file;
    }

    /** Where the lines go (standard error unless a test listens). */
    static void sayTo(Consumer<String> sink) {
        out = sink;
    }

    synchronized void refused() {
        refused++;
        if (!full) {
            full = true;
            out.accept("rr: the disk holding " + file + " is full: writes are refused and tried again (readfrom"
                    + " still drains rivers, from the space rr keeps in reserve); nothing sent before is lost");
        }
    }

    /** The space kept in reserve was given back so rivers can be drained. */
    synchronized void reserveGivenBack(long bytes) {
        out.accept("rr: gave back the " + (bytes >> 20) + " MiB kept in reserve beside " + file + " so rivers can still be"
                + " drained; it is kept again once there is room");
    }

    /** A write succeeded; true when it is the first after the disk was full. */
    synchronized boolean wrote() {
        if (!full) {
            return false;
        }
        full = false;
        out.accept("rr: there is room again on the disk holding " + file + ": writing again (" + refused
                + " write(s) were refused meanwhile and are being tried again)");
        refused = 0;
        return true;
    }
}
