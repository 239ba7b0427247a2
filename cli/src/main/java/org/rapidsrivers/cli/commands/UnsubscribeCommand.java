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

/** Understands how to ask the control plane to stop a topic flowing into a river. */
@Command(name = "unsubscribe", description = "Remove a topic from a river subscription", abbreviateSynopsis = true)
public final class UnsubscribeCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "<river>", description = "River (queue) name.", completionCandidates = Candidates.Rivers.class)
    String river;

    @Parameters(index = "1", paramLabel = "<topic>", description = "Topic (event type).", completionCandidates = Candidates.Topics.class)
    String topic;

    @Mixin
    WaitOptions wait;

    public UnsubscribeCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ControlCommand command = ControlCommand.unsubscribe(RiverName.of(river), Topic.of(topic), Clock.systemUTC());
        return new ControlRequest(session).send(command, "unsubscribed " + river + " from " + topic, wait.waits(), wait.timeout());
    }
}
