package org.rapidsrivers.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;

/** Understands the tasks a service set for later, run on its own thread once the clock has passed them, in time order. */
final class Timers {
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
            next.task().run();
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
