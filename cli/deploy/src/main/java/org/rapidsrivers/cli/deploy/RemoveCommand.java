package org.rapidsrivers.cli.deploy;

import java.util.concurrent.Callable;
import org.rapidsrivers.cli.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Understands how a stage comes off AWS: the artifacts bucket emptied, both stacks deleted in reverse order. */
@Command(name = "remove", abbreviateSynopsis = true,
        description = "Delete the stage's stacks; the key and the catalog stay unless --force (aws backend)")
public final class RemoveCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--force", description = "Also delete the catalog table and schedule the key's deletion.")
    boolean force;

    public RemoveCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        try (Deployer deployer = new Deployer(session.aws(), session.output()::plain)) {
            deployer.remove(force);
        }
        return 0;
    }
}
