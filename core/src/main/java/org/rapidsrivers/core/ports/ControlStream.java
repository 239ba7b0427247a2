package org.rapidsrivers.core.ports;

import org.rapidsrivers.core.control.ControlCommand;

/** Understands how to hand a command to the control plane, keeping one river's commands in order. */
public interface ControlStream {
    void send(ControlCommand command);
}
