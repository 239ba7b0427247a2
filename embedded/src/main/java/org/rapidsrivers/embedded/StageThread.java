package org.rapidsrivers.embedded;

import java.time.Duration;

/**
 * Understands a thread of its own that an open stage keeps in the background (the watcher of other
 * processes, the checkpointer): started once, when first needed, as a daemon; stopped and waited for
 * when the stage closes, so nothing of it touches the stage's file after that.
 */
final class StageThread {
    private static final Duration JOIN = Duration.ofSeconds(5);

    private final String name;
    private Thread thread;
    private volatile boolean stopped;

    StageThread(String name) {
        this.name = name;
    }

    /** Starts the loop unless it was started before or the stage is closing; whether it started now. */
    synchronized boolean start(Runnable loop) {
        if (thread != null || stopped) {
            return false;
        }
        thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    /** Whether the thread was started or the stage is closing: either way there is nothing to start. */
    synchronized boolean startedOrStopped() {
        return thread != null || stopped;
    }

    /** For the loop: whether to stop. */
    boolean stopped() {
        return stopped;
    }

    /** Whether the thread is running (for tests). */
    synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    /** Tells the loop to stop, interrupts its wait, and waits for it to end. */
    void stopAndWait() {
        Thread stopping;
        synchronized (this) {
            stopped = true;
            stopping = thread;
        }
        if (stopping != null) {
            stopping.interrupt();
            try {
                stopping.join(JOIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
