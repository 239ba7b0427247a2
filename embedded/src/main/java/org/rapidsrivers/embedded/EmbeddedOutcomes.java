package org.rapidsrivers.embedded;

import java.time.Duration;
import java.util.Optional;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.Outcomes;

/** Understands how to find a command's outcome on the embedded rapids, starting from where the watch began. */
final class EmbeddedOutcomes implements Outcomes {
    private static final Duration POLL = Duration.ofMillis(20);

    private final EmbeddedLog log;
    private final String rapids;
    private final Doorbell doorbell;

    EmbeddedOutcomes(EmbeddedLog log, String rapids, Doorbell doorbell) {
        this.log = log;
        this.rapids = rapids;
        this.doorbell = doorbell;
    }

    @Override
    public Watch watch() {
        long start = log.latest(rapids);
        return new Watch() {
            // always from the watch's start, so awaiting several commands one after another misses none
            private final long position = start;

            @Override
            public Optional<CommandOutcome> await(String commandId, Duration timeout) {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (true) {
                    long seen = doorbell.rings();
                    long upto = log.latest(rapids);
                    for (String text : log.findAfter(rapids, position, upto, commandId)) {
                        Optional<CommandOutcome> outcome = outcomeIn(text)
                                .filter(found -> found.commandId().equals(commandId));
                        if (outcome.isPresent()) {
                            return outcome;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    try {
                        doorbell.awaitAfter(seen, Duration.ofNanos(Math.min(left, POLL.toNanos())));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                }
            }

            @Override
            public void close() {
                // nothing held between polls
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
