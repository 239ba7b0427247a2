package org.rapidsrivers.cli.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.Size;
import org.jline.terminal.TerminalBuilder;
import org.rapidsrivers.cli.Errors;
import org.rapidsrivers.cli.Session;
import org.rapidsrivers.cli.ShellCommands;
import picocli.CommandLine;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * Understands the {@code cmd> } prompt on a terminal: line editing, history kept in the data
 * directory, tab completion of commands and of the rivers and topics the system knows. Ctrl-C
 * drops the line being typed; Ctrl-D or exit leaves.
 */
final class InteractiveShell {
    static final String PROMPT = "cmd> ";
    private final Session session;

    InteractiveShell(Session session) {
        this.session = session;
    }

    int run() {
        CommandLine commands = ShellCommands.commandLine(session);
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            if (terminal.getWidth() <= 0) {
                // a pseudo-terminal nobody sized (script, some CI runners): without a width the prompt wraps badly
                terminal.setSize(new Size(80, 24));
            }
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("rr")
                    .completer(new PicocliJLineCompleter(commands.getCommandSpec()))
                    .variable(LineReader.HISTORY_FILE, historyFile())
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            LineRunner runner = new LineRunner(session, commands);
            while (!session.exitRequested()) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException ctrlC) {
                    continue;
                } catch (EndOfFileException ctrlD) {
                    break;
                }
                runner.run(line);
            }
            return 0;
        } catch (IOException e) {
            return new Errors(session).report(e);
        }
    }

    private Path historyFile() {
        Path dataDir = session.options().dataDir();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            // history is a convenience: without it the shell still works
        }
        return dataDir.resolve("history");
    }
}
