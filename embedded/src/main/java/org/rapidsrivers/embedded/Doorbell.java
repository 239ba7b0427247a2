package org.rapidsrivers.embedded;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Understands how the threads of one process learn that something was written, so a waiting reader
 * or host wakes at once instead of at its next look. There is one bell per stream and one per river:
 * an append wakes the hosts of that stream and a message put in a river wakes that river's readers,
 * nobody else (a page view is dozens of writes; every waiter looking at the database after each of
 * them would queue its reads before the writes that matter). What other processes commit is noticed
 * by one thread per process, which looks at SQLite's data version every {@link #OTHER_PROCESSES} and
 * rings every bell when it changed: one cheap look instead of every waiter polling its table.
 */
final class Doorbell implements AutoCloseable {
    /** How soon a commit by another process wakes this one's waiters. */
    static final Duration OTHER_PROCESSES = Duration.ofMillis(20);

    private final ConcurrentMap<String, Bell> bells = new ConcurrentHashMap<>();
    private final LongSupplier commitsElsewhere;
    private final StageThread watcher = new StageThread("rr-other-processes");
    private final AtomicBoolean starting = new AtomicBoolean();

    /** {@code commitsElsewhere}: a number that changes whenever another process commits (PRAGMA data_version). */
    Doorbell(LongSupplier commitsElsewhere) {
        this.commitsElsewhere = commitsElsewhere;
    }

    /** The bell of a stream's appends. */
    Bell stream(String stream) {
        return bell("stream:" + stream);
    }

    /** The bell of the messages put into a river (or its dead-letter queue) for receiving. */
    Bell river(String queue) {
        return bell("river:" + queue);
    }

    private Bell bell(String name) {
        Bell bell = bells.get(name);
        if (bell == null) {
            bell = bells.computeIfAbsent(name, n -> new Bell());
            watchOtherProcesses();
        }
        return bell;
    }

    /**
     * The watcher starts with the first bell (a command that never waits has none) and lives as long as the
     * stage is open. Its first look is taken before that bell is handed out: whatever was committed before
     * it, the bell's waiter finds by its own first look; whatever comes after, the watcher sees. The look
     * reads the database, so it is taken holding no lock of the doorbell's: a thread that makes a bell inside
     * a transaction (the router, holding the database) would otherwise wait for this one while this one waits
     * for the database (a CI rehearsal hung so in EmbeddedBackendTest). One thread starts the watcher; another
     * making a bell meanwhile does not wait for it, and a commit elsewhere in that instant is found by its
     * waiter's next look (at most 250 ms on).
     */
    private void watchOtherProcesses() {
        if (watcher.startedOrStopped() || !starting.compareAndSet(false, true)) {
            return;
        }
        long first;
        try {
            first = commitsElsewhere.getAsLong();
        } catch (RuntimeException unreadable) {
            first = Long.MIN_VALUE;
        }
        long seen = first;
        watcher.start(() -> watch(seen));
    }

    private void watch(long firstLook) {
        long seen = firstLook;
        while (!watcher.stopped()) {
            try {
                long now = commitsElsewhere.getAsLong();
                if (now != seen) {
                    seen = now;
                    bells.values().forEach(Bell::ring);
                }
            } catch (RuntimeException unreadable) {
                // the stage is closing or out of reach for a moment: the waiters' own looks find out
            }
            try {
                Thread.sleep(OTHER_PROCESSES.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether the watcher of other processes is running (for tests). */
    boolean watching() {
        return watcher.running();
    }

    /** Stops the watcher and waits for it, so nothing of it touches the stage once the stage is closed. */
    @Override
    public void close() {
        watcher.stopAndWait();
    }

    /**
     * Understands one bell. A waiter reads {@link #rings()}, looks at the database, then waits for a ring
     * after what it read: a write committed before its look is seen by the look, one after it rings.
     */
    static final class Bell {
        private long rings;

        synchronized long rings() {
            return rings;
        }

        synchronized void ring() {
            rings++;
            notifyAll();
        }

        /** Waits until the bell rings after {@code seen}, or the timeout passes. */
        synchronized void awaitAfter(long seen, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (rings == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wait(Math.max(1, left / 1_000_000), 0);
            }
        }
    }
}
