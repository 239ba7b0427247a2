package org.rapidsrivers.embedded;

import java.util.List;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.ports.ControlStream;

/** Understands how to put a command on the embedded control stream, keyed by its river so one river's commands stay in order. */
final class EmbeddedControlStream implements ControlStream {
    private final EmbeddedLog log;
    private final String stream;

    EmbeddedControlStream(EmbeddedLog log, String stream) {
        this.log = log;
        this.stream = stream;
    }

    @Override
    public void send(ControlCommand command) {
        log.append(stream, List.of(EmbeddedLog.Entry.of(command.partitionKey(), command.toJson())));
    }
}
