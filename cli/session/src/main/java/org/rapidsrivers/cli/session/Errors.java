package org.rapidsrivers.cli.session;

import java.util.List;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Understands how a failure reaches the user: one line on standard error that names the problem
 * and what is allowed, and an exit code (1 for a failed command, 2 for a command typed wrong).
 * Stack traces only with --debug, and then after the line.
 */
public final class Errors implements IExecutionExceptionHandler, IParameterExceptionHandler {
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** A command stopped by Ctrl-C, as shells report a process ended by SIGINT. */
    public static final int CANCELLED = 130;

    private static final CommandLine.Model.CommandSpec GLOBAL =
            CommandLine.Model.CommandSpec.forAnnotatedObject(new GlobalOptions());
    private final Session session;

    public Errors(Session session) {
        this.session = session;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, ParseResult parsed) {
        return report(ex);
    }

    /** Reports anything thrown while running a command, or while opening the system it talks to. */
    public int report(Throwable ex) {
        if (cancelled(ex)) {
            session.output().error("cancelled");
            return CANCELLED;
        }
        if (ex instanceof InvalidInput || ex instanceof BackendUnavailable || ex instanceof CommandFailed) {
            session.output().error(ex.getMessage());
        } else if (AwsErrors.oneLine(ex).isPresent()) {
            session.output().error(AwsErrors.oneLine(ex).get());
        } else {
            session.output().error("unexpected " + ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage())
                    + (session.options().debug() ? "" : " (run with --debug for the stack trace)"));
        }
        if (session.options().debug()) {
            ex.printStackTrace(session.output().err());
            session.output().err().flush();
        }
        return FAILED;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine where = ex.getCommandLine();
        boolean atRoot = where.getParent() == null;
        if (ex instanceof UnmatchedArgumentException unmatched && atRoot && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            String name = unmatched.getUnmatched().get(0);
            List<String> suggestions = unmatched.getSuggestions();
            session.output().error("unknown command '" + Printable.of(name) + "', try help"
                    + (suggestions.isEmpty() ? "" : " (did you mean " + suggestions.get(0) + "?)"));
        } else if (ex instanceof UnmatchedArgumentException unmatched && unmatched.isUnknownOption()) {
            String option = unmatched.getUnmatched().get(0);
            String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            if (!atRoot && GLOBAL.findOption(name) != null) {
                CommandLine.Model.OptionSpec global = GLOBAL.findOption(name);
                String example = global.arity().max() > 0 ? name + " " + global.paramLabel() : name;
                session.output().error("'" + name + "' is a global option: put it before the command when starting rr,"
                        + " as in rr " + example + " " + where.getCommandName() + " ...");
            } else {
                session.output().error("unknown option '" + Printable.of(option) + "'; usage: " + usage(where));
            }
        } else if (ex instanceof MissingParameterException || ex instanceof UnmatchedArgumentException) {
            session.output().error("wrong number of arguments for " + where.getCommandName() + "; usage: " + usage(where));
        } else {
            session.output().error(firstLine(ex.getMessage()));
        }
        if (session.options().debug()) {
            ex.printStackTrace(session.output().err());
        }
        return USAGE;
    }

    /** The one-line synopsis of a command, e.g. "subscribe [OPTIONS] <river> <topic>". */
    static String usage(CommandLine command) {
        String synopsis = command.getHelp().synopsis(0).trim().replaceAll("\\s+", " ");
        return synopsis.startsWith("Usage: ") ? synopsis.substring("Usage: ".length()) : synopsis;
    }

    /** Ctrl-C interrupts the running command; whatever it was waiting on then fails in its own way. */
    private static boolean cancelled(Throwable ex) {
        return Thread.currentThread().isInterrupted();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
