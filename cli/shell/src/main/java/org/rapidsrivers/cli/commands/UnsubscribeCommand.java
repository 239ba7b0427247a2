package org.rapidsrivers.cli.commands;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.control.ControlCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Understands how to ask the control plane to stop a topic flowing into a river. */
@Command(name = "unsubscribe", description = "Remove a topic from a river subscription", abbreviateSynopsis = true)
public final class UnsubscribeCommand implements Callable<Integer> {
    private final Session session;

    @Mixin
    RiverAndTopic arguments;

    @Mixin
    WaitOptions wait;

    public UnsubscribeCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ControlCommand command = ControlCommand.unsubscribe(arguments.river(), arguments.topic(), Clock.systemUTC());
        return new ControlRequest(session).send(command, "unsubscribed " + command.river() + " from " + command.topic(),
                wait.waits(), wait.timeout());
    }
}
