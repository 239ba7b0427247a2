package org.rapidsrivers.aws.streams;

import java.nio.charset.StandardCharsets;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.ports.ControlStream;

/** Understands how to put a command on the control stream, keyed by its river so one river's commands stay in order. */
public final class KinesisControlStream implements ControlStream {
    private final KinesisStream stream;

    public KinesisControlStream(KinesisStream stream) {
        this.stream = stream;
    }

    @Override
    public void send(ControlCommand command) {
        stream.put(command.partitionKey(), command.toJson().getBytes(StandardCharsets.UTF_8));
    }
}
