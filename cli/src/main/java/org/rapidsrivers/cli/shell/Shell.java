package org.rapidsrivers.cli.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.rapidsrivers.cli.Errors;
import org.rapidsrivers.cli.Session;

/** Understands whether rr was started to talk to a person at a terminal or to run a script from standard input. */
public final class Shell {
    private final Session session;

    public Shell(Session session) {
        this.session = session;
    }

    public int run() {
        try {
            session.backendWithPlanes();
        } catch (RuntimeException cannotOpen) {
            return new Errors(session).report(cannotOpen);
        }
        if (System.console() != null) {
            return new InteractiveShell(session).run();
        }
        try (BufferedReader script = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            return new ScriptRunner(session).run(script);
        } catch (IOException e) {
            return new Errors(session).report(e);
        }
    }
}
