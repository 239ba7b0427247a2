package org.rapidsrivers.core.ports;

import java.time.Duration;
import java.util.Optional;
import org.rapidsrivers.core.control.CommandOutcome;

/** Understands how to learn what the control plane did with a command, by watching the rapids for its outcome. */
public interface Outcomes {
    /** Starts watching from now on; open it before sending the command so the outcome cannot be missed. */
    Watch watch();

    /** Understands one watch over the rapids. */
    interface Watch extends AutoCloseable {
        Optional<CommandOutcome> await(String commandId, Duration timeout);

        @Override
        void close();
    }
}
