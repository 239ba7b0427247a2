package org.rapidsrivers.core.operate;

import java.time.Duration;
import java.util.Optional;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.ports.OutcomeLedger;
import org.rapidsrivers.core.ports.Outcomes;

/**
 * Understands how a command's outcome is learned on every backend: from the control plane's ledger, looked
 * up by the command's id, soon after it was sent and then less often (the first look after {@code firstLook},
 * each pause twice the last, at most {@code mostBetween}), until it is there or the time is up. Nothing on the
 * rapids is believed: an outcome event anyone could have put there confirms nothing.
 */
public final class LedgerOutcomes implements Outcomes {
    private final OutcomeLedger ledger;
    private final Duration firstLook;
    private final Duration mostBetween;

    public LedgerOutcomes(OutcomeLedger ledger, Duration firstLook, Duration mostBetween) {
        this.ledger = ledger;
        this.firstLook = firstLook;
        this.mostBetween = mostBetween;
    }

    @Override
    public Watch watch() {
        return new Watch() {
            @Override
            public Optional<CommandOutcome> await(String commandId, Duration timeout) {
                long deadline = System.nanoTime() + timeout.toNanos();
                Duration pause = firstLook;
                while (true) {
                    Optional<CommandOutcome> found = ledger.find(commandId);
                    if (found.isPresent()) {
                        return found;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    try {
                        Thread.sleep(Math.max(1, Math.min(pause.toMillis(), left / 1_000_000)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                    pause = pause.multipliedBy(2).compareTo(mostBetween) > 0 ? mostBetween : pause.multipliedBy(2);
                }
            }

            @Override
            public void close() {
                // nothing held between looks
            }
        };
    }
}
