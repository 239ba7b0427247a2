package org.rapidsrivers.cli.commands;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.Session;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Understands how to ask the control plane to let a topic flow into a river, making the river if needed. */
@Command(name = "subscribe", description = "Subscribe a river to a topic", abbreviateSynopsis = true)
public final class SubscribeCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "<river>", description = "River (queue) name.", completionCandidates = Candidates.Rivers.class)
    String river;

    @Parameters(index = "1", paramLabel = "<topic>", description = "Topic (event type).", completionCandidates = Candidates.Topics.class)
    String topic;

    @Mixin
    WaitOptions wait;

    public SubscribeCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ControlCommand command = ControlCommand.subscribe(RiverName.of(river), Topic.of(topic), Clock.systemUTC());
        return new ControlRequest(session).send(command, "subscribed " + river + " to " + topic, wait.waits(), wait.timeout());
    }
}
