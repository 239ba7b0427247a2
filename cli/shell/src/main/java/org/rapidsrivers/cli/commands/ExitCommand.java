package org.rapidsrivers.cli.commands;

import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import picocli.CommandLine.Command;

/** Understands how the user leaves the shell. */
@Command(name = "exit", description = "Exits application.", abbreviateSynopsis = true)
public final class ExitCommand implements Callable<Integer> {
    private final Session session;

    public ExitCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        session.requestExit();
        return 0;
    }
}
