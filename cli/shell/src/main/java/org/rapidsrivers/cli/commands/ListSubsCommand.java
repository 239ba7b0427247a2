package org.rapidsrivers.cli.commands;

import org.rapidsrivers.cli.session.Candidates;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.stage.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Understands how to list the topics that flow into a river: {@code ViewPage}, {@code Offer where source=location}. */
@Command(name = "listsubs", description = "List subscriptions for a river", abbreviateSynopsis = true)
public final class ListSubsCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "<river>", description = "River (queue) name.", completionCandidates = Candidates.Rivers.class)
    String river;

    public ListSubsCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        RiverName name = RiverName.of(river);
        Backend backend = session.backend();
        if (!backend.rivers().exists(name)) {
            throw new InvalidInput("river '" + name + "' does not exist (subscribe it to a topic to create it)");
        }
        RiverPolicy policy = backend.subscriptions().policyOf(name);
        session.output().names(policy.topics().keySet().stream().map(policy::describe).toList());
        return 0;
    }
}
