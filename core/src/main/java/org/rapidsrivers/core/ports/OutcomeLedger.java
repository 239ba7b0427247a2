package org.rapidsrivers.core.ports;

import java.util.List;
import org.rapidsrivers.core.control.CommandOutcome;

/**
 * Understands where the control plane writes what became of each command, so that whoever waits for an
 * outcome trusts only the control plane: on AWS, items of the catalog table that only the control plane's
 * role may write (an outcome event on the rapids could come from any producer, since Kinesis records carry
 * no caller). The embedded backend trusts its one user and keeps none: its watchers read the rapids.
 */
public interface OutcomeLedger {
    /** No ledger: the outcome events on the rapids are what watchers read. */
    OutcomeLedger NONE = outcomes -> { };

    /** Writes the outcomes before their events go on the rapids; idempotent, so a retried batch writes them again. */
    void record(List<CommandOutcome> outcomes);
}
