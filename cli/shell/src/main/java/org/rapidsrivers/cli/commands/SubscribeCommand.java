package org.rapidsrivers.cli.commands;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.Session;
import org.rapidsrivers.core.control.ControlCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Understands how to ask the control plane to let a topic flow into a river, making the river if needed. */
@Command(name = "subscribe", description = "Subscribe a river to a topic", abbreviateSynopsis = true)
public final class SubscribeCommand implements Callable<Integer> {
    private final Session session;

    @Mixin
    RiverAndTopic arguments;

    @Mixin
    WaitOptions wait;

    public SubscribeCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ControlCommand command = ControlCommand.subscribe(arguments.river(), arguments.topic(), Clock.systemUTC());
        return new ControlRequest(session).send(command, "subscribed " + command.river() + " to " + command.topic(),
                wait.waits(), wait.timeout());
    }
}
