package org.rapidsrivers.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;
import org.rapidsrivers.core.BackendUnavailable;

/**
 * Understands the tasks a service set for later, run on its own thread once the clock has passed them,
 * in time order. A task that finds the stage out of reach (a full disk, a throttled call) runs again a
 * second later: a decision is delayed, never lost.
 */
final class Timers {
    static final Duration AGAIN_AFTER = Duration.ofSeconds(1);
    private final Clock clock;
    private final PriorityQueue<Timer> waiting = new PriorityQueue<>();
    private long added;

    Timers(Clock clock) {
        this.clock = clock;
    }

    synchronized void at(Instant due, Runnable task) {
        waiting.add(new Timer(due, added++, task));
    }

    /** Runs every task that is due; a task may add more. */
    void runDue() {
        while (true) {
            Timer next;
            synchronized (this) {
                next = waiting.peek();
                if (next == null || next.due().isAfter(clock.instant())) {
                    return;
                }
                waiting.poll();
            }
            try {
                next.task().run();
            } catch (BackendUnavailable unreachable) {
                synchronized (this) {
                    waiting.add(new Timer(clock.instant().plus(AGAIN_AFTER), added++, next.task()));
                }
                throw unreachable;
            }
        }
    }

    synchronized Optional<Instant> next() {
        return Optional.ofNullable(waiting.peek()).map(Timer::due);
    }

    private record Timer(Instant due, long order, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byTime = due.compareTo(other.due);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
