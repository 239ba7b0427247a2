package org.rapidsrivers.cli.commands;

import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.names.Topic;
import picocli.CommandLine.Command;

/** Understands how to list the advertised topics. */
@Command(name = "topics", description = "List topics", abbreviateSynopsis = true)
public final class TopicsCommand implements Callable<Integer> {
    private final Session session;

    public TopicsCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        session.output().names(session.backend().catalog().topics().stream().map(Topic::value).toList());
        return 0;
    }
}
