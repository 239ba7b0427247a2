package org.rapidsrivers.cli.commands;

import org.rapidsrivers.cli.session.Candidates;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Understands how to list the commands the way the original shell did, or show one command's full usage. */
@Command(name = "help", description = "Provides help for a given command.", abbreviateSynopsis = true)
public final class HelpCommand implements Callable<Integer> {
    private final Session session;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "command", arity = "0..1", description = "The command to explain.",
            completionCandidates = Candidates.Commands.class)
    String command;

    public HelpCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Map<String, CommandLine> commands = spec.parent().subcommands();
        if (command != null) {
            CommandLine subject = commands.get(command);
            if (subject == null) {
                throw new InvalidInput("unknown command '" + command + "', try help");
            }
            subject.usage(session.output().out());
            session.output().out().flush();
            return 0;
        }
        int width = commands.values().stream().mapToInt(c -> synopsis(c.getCommandSpec()).length()).max().orElse(0) + 2;
        StringBuilder text = new StringBuilder("Commands:");
        commands.values().forEach(c -> text.append(System.lineSeparator()).append("  ")
                .append(String.format("%-" + width + "s", synopsis(c.getCommandSpec())))
                .append(c.getCommandSpec().usageMessage().description()[0]));
        session.output().plain(text.toString());
        return 0;
    }

    /** "send <event> <source> [data]": the name and the positional parameters, as the original listed them. */
    static String synopsis(CommandSpec command) {
        String parameters = command.positionalParameters().stream()
                .map(p -> p.arity().min() == 0 ? "[" + p.paramLabel() + "]" : p.paramLabel())
                .collect(Collectors.joining(" "));
        return parameters.isEmpty() ? command.name() : command.name() + " " + parameters;
    }
}
