package org.rapidsrivers.core.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.ports.OutcomeLedger;

/** Understands the control plane's ledger kept in memory, for tests: the first outcome of a command stays. */
public final class InMemoryLedger implements OutcomeLedger {
    private final Map<String, CommandOutcome> outcomes = new LinkedHashMap<>();

    @Override
    public synchronized void record(List<CommandOutcome> written) {
        written.forEach(outcome -> outcomes.putIfAbsent(outcome.commandId(), outcome));
    }

    @Override
    public synchronized Optional<CommandOutcome> find(String commandId) {
        return Optional.ofNullable(outcomes.get(commandId));
    }

    @Override
    public synchronized List<CommandOutcome> subscriptionChangesSince(Instant since) {
        return outcomes.values().stream().filter(CommandOutcome::changedSubscriptions).filter(o -> !o.at().isBefore(since)).toList();
    }

    /** Every outcome written, in order. */
    public synchronized List<CommandOutcome> all() {
        return new ArrayList<>(outcomes.values());
    }
}
