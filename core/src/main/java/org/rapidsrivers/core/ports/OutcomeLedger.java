package org.rapidsrivers.core.ports;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.control.CommandOutcome;

/**
 * Understands where the control plane writes what became of each command, the one record of it anything
 * trusts: whoever waits for a command reads its outcome here, and a trace learns from here which rivers an
 * event reached. Only the control plane writes it (on AWS, items of the catalog table only its role may
 * write; embedded, a table only the control plane's batch writes), while any producer may put an outcome
 * event on the rapids: Kinesis records carry no caller. The first outcome written for a command stays.
 */
public interface OutcomeLedger {
    /** Writes the outcomes before their events go on the rapids; one already written for a command stays as it was. */
    void record(List<CommandOutcome> outcomes);

    /** The outcome of the command, once the control plane wrote it. */
    Optional<CommandOutcome> find(String commandId);

    /** The commands applied since {@code since} that changed a river's subscriptions, in any order. */
    List<CommandOutcome> subscriptionChangesSince(Instant since);
}
