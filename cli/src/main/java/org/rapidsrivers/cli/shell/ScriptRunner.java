package org.rapidsrivers.cli.shell;

import java.io.BufferedReader;
import java.io.IOException;
import org.rapidsrivers.cli.Session;
import org.rapidsrivers.cli.ShellCommands;

/**
 * Understands how rr runs commands from standard input: each line echoed as {@code cmd> line}
 * before its output (not with --json, whose output stays one JSON document per line), stopping at
 * the first failing command with its exit code unless --keep-going is given.
 */
final class ScriptRunner {
    private final Session session;

    ScriptRunner(Session session) {
        this.session = session;
    }

    int run(BufferedReader script) throws IOException {
        LineRunner runner = new LineRunner(session, ShellCommands.commandLine(session));
        int worst = 0;
        String line;
        while (!session.exitRequested() && (line = script.readLine()) != null) {
            if (LineRunner.isBlankOrComment(line)) {
                continue;
            }
            if (!session.output().json()) {
                session.output().plain("cmd> " + line);
            }
            int code = runner.run(line);
            if (code != 0) {
                if (!session.options().keepGoing()) {
                    return code;
                }
                worst = Math.max(worst, code);
            }
        }
        return worst;
    }
}
