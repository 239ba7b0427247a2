package org.rapidsrivers.cli.deploy;

import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Understands how a stage comes off AWS: the artifacts bucket emptied, both stacks deleted in reverse order. */
@Command(name = "remove", abbreviateSynopsis = true,
        description = "Delete the stage's stacks, its services' first; the key and the catalog stay unless --force (aws backend)")
public final class RemoveCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--force", description = "Also delete the catalog table and schedule the key's deletion.")
    boolean force;

    @Option(names = "--service", paramLabel = "<name>", split = ",",
            description = "Remove only these deployed services' stacks (their rivers, functions and roles).")
    List<String> services;

    public RemoveCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        try (Deployer deployer = new Deployer(session.aws(), session.output()::plain)) {
            if (services != null && !services.isEmpty()) {
                if (force) {
                    throw new InvalidInput("--force applies to the whole stage; a service's stack is removed whole without it");
                }
                services.forEach(deployer.services()::remove);
                return 0;
            }
            deployer.remove(force);
        }
        return 0;
    }
}
