package org.rapidsrivers.core.operate;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.Outcomes;

/**
 * Understands how a command's outcome is learned on every backend: a watch follows the rapids from the
 * moment it opens (a tail, one more reader that takes nothing) until the outcome with the command's id
 * comes by. Every outcome it sees is kept, so a service awaiting several commands one after another
 * (its start-up) misses none; only the control plane's events are parsed.
 */
public final class TailOutcomes implements Outcomes {
    private final Supplier<RapidsTail> tails;

    public TailOutcomes(Supplier<RapidsTail> tails) {
        this.tails = tails;
    }

    @Override
    public Watch watch() {
        RapidsTail tail = tails.get();
        return new Watch() {
            private final Map<String, CommandOutcome> seen = new HashMap<>();

            @Override
            public Optional<CommandOutcome> await(String commandId, Duration timeout) {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (!seen.containsKey(commandId)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    try {
                        tail.await(Duration.ofNanos(left)).forEach(this::keep);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                }
                return Optional.of(seen.get(commandId));
            }

            private void keep(String text) {
                if (text.contains(CommandOutcome.DOMAIN)) {
                    outcomeIn(text).ifPresent(outcome -> seen.putIfAbsent(outcome.commandId(), outcome));
                }
            }

            @Override
            public void close() {
                // a tail holds nothing between polls
            }
        };
    }

    private static Optional<CommandOutcome> outcomeIn(String text) {
        try {
            return CommandOutcome.of(Event.parseRoutable(text));
        } catch (InvalidInput notAnEvent) {
            return Optional.empty();
        }
    }
}
