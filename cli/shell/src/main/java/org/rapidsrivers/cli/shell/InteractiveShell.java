package org.rapidsrivers.cli.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.rapidsrivers.cli.ShellCommands;
import org.rapidsrivers.cli.session.Errors;
import org.rapidsrivers.cli.session.Session;
import picocli.CommandLine;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * Understands the {@code cmd> } prompt on a terminal: line editing, history kept in the data
 * directory, tab completion of commands and of the rivers and topics the system knows. Ctrl-C
 * drops the line being typed, or cancels the command that is running; Ctrl-D or exit leaves.
 */
final class InteractiveShell {
    static final String PROMPT = "cmd> ";
    private final Session session;

    InteractiveShell(Session session) {
        this.session = session;
    }

    int run() {
        CommandLine commands = ShellCommands.commandLine(session);
        try (Terminal terminal = TerminalBuilder.builder().system(true)
                // the prompt goes to standard error when standard output is a pipe (rr | tee log)
                .systemOutput(TerminalBuilder.SystemOutput.SysOutOrSysErr)
                .encoding(StandardCharsets.UTF_8)
                // not SIG_DFL, so a Ctrl-C while a command runs reaches the handler set below, not the JVM's exit
                .signalHandler(signal -> { })
                .build()) {
            if (terminal.getWidth() <= 0) {
                // a pseudo-terminal nobody sized (script, some CI runners): without a width the prompt wraps badly
                terminal.setSize(new Size(80, 24));
            }
            LineReaderBuilder builder = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("rr")
                    .completer(new PicocliJLineCompleter(commands.getCommandSpec()))
                    // a line typed with a leading space is not kept (a payload with a secret), as in bash and zsh
                    .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .parser(new ContinuingParser());
            historyFile().ifPresent(file -> builder.variable(LineReader.HISTORY_FILE, file));
            LineReader reader = builder.build();
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
                runCancellable(terminal, runner, line);
            }
            return 0;
        } catch (IOException e) {
            return new Errors(session).report(e);
        }
    }

    /** Runs a line; Ctrl-C meanwhile interrupts that command, which stops waiting, and the prompt comes back. */
    private void runCancellable(Terminal terminal, LineRunner runner, String line) {
        Thread running = Thread.currentThread();
        Terminal.SignalHandler before = terminal.handle(Terminal.Signal.INT, signal -> running.interrupt());
        try {
            runner.run(line);
        } finally {
            terminal.handle(Terminal.Signal.INT, before);
            // a Ctrl-C that came after the command finished must not cancel the next one
            Thread.interrupted();
        }
    }

    /** Understands when a typed (or pasted) line is a whole command, by the same rules as scripts. */
    private static final class ContinuingParser extends DefaultParser {
        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !ShellWords.isComplete(line)) {
                throw new EOFError(-1, -1, "the command goes on", "continue");
            }
            return super.parse(line, cursor, context);
        }
    }

    /**
     * The history keeps every payload typed, so it is private to its owner, like a shell's; none is kept on
     * disk when RR_HISTORY=off, or when the data directory or the file is not this user's alone (a planted
     * link would send every payload wherever it points): the shell works on, and one line says why.
     */
    private Optional<Path> historyFile() {
        if ("off".equalsIgnoreCase(String.valueOf(System.getenv("RR_HISTORY")).strip())) {
            return Optional.empty();
        }
        try {
            return Optional.of(session.privateFile("history"));
        } catch (RuntimeException refused) {
            session.output().notice("history is kept for this session only: " + refused.getMessage());
            return Optional.empty();
        }
    }
}
