package org.rapidsrivers.cli.commands;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.names.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Understands how to add a topic to the catalog others browse with topics. */
@Command(name = "advertise", description = "Advertise a topic others may consume", abbreviateSynopsis = true)
public final class AdvertiseCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "<topic>", description = "Topic (event type).")
    String topic;

    @Mixin
    WaitOptions wait;

    public AdvertiseCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ControlCommand command = ControlCommand.advertise(Topic.of(topic), Clock.systemUTC());
        return new ControlRequest(session).send(command, "advertised " + topic, wait.waits(), wait.timeout());
    }
}
