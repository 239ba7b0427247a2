package org.rapidsrivers.cli.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import org.rapidsrivers.cli.ShellCommands;
import org.rapidsrivers.cli.session.Errors;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;

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
        String pending = null;
        String next;
        int lineNumber = 0;
        while (!session.exitRequested() && (next = readLine(script, lineNumber + 1)) != null) {
            lineNumber++;
            if (pending == null && LineRunner.isBlankOrComment(next)) {
                continue;
            }
            String line = pending == null ? next : pending + "\n" + next;
            if (!ShellWords.isComplete(line)) {
                // an open quote or a trailing backslash: the command goes on on the next line
                pending = line;
                continue;
            }
            pending = null;
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
        if (pending != null) {
            session.output().error("the script ends in the middle of a command (an open quote or a trailing \\)"
                    + " that began with: " + Printable.of(pending));
            return Errors.USAGE;
        }
        return worst;
    }

    private static String readLine(BufferedReader script, int lineNumber) throws IOException {
        try {
            return script.readLine();
        } catch (CharacterCodingException notUtf8) {
            throw new InvalidInput("line " + lineNumber
                    + " of standard input is not valid UTF-8: rr reads scripts as UTF-8 text");
        }
    }
}
