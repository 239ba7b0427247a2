package org.rapidsrivers.cli.shell;

import java.util.List;
import org.rapidsrivers.cli.session.Errors;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import picocli.CommandLine;

/** Understands how one line of the shell runs: split into words like a POSIX shell would, then executed. */
final class LineRunner {
    private final Session session;
    private final CommandLine commands;

    LineRunner(Session session, CommandLine commands) {
        this.session = session;
        this.commands = commands;
    }

    /** The exit code of the line's command; 0 for a line with nothing to run. */
    int run(String line) {
        List<String> words;
        try {
            words = ShellWords.split(line);
        } catch (InvalidInput unclosed) {
            session.output().error(unclosed.getMessage());
            return Errors.USAGE;
        }
        if (words.isEmpty()) {
            return 0;
        }
        return commands.execute(words.toArray(String[]::new));
    }

    static boolean isBlankOrComment(String line) {
        String trimmed = line.strip();
        return trimmed.isEmpty() || trimmed.startsWith("#");
    }
}
