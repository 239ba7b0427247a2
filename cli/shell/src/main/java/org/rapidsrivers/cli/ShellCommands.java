package org.rapidsrivers.cli;

import org.rapidsrivers.cli.session.CommandFactory;
import org.rapidsrivers.cli.session.Errors;
import org.rapidsrivers.cli.session.Session;

import java.io.PrintWriter;
import org.rapidsrivers.cli.archive.ArchiveCommand;
import org.rapidsrivers.cli.archive.ReplayCommand;
import org.rapidsrivers.cli.archive.TailCommand;
import org.rapidsrivers.cli.archive.TraceCommand;
import org.rapidsrivers.cli.commands.AdvertiseCommand;
import org.rapidsrivers.cli.commands.ExitCommand;
import org.rapidsrivers.cli.commands.HelpCommand;
import org.rapidsrivers.cli.bench.BenchCommand;
import org.rapidsrivers.cli.commands.ListSubsCommand;
import org.rapidsrivers.cli.deploy.ProvisionCommand;
import org.rapidsrivers.cli.commands.ScenarioCommand;
import org.rapidsrivers.cli.commands.ServiceCommand;
import org.rapidsrivers.cli.commands.ReadFromCommand;
import org.rapidsrivers.cli.commands.MonitorCommand;
import org.rapidsrivers.cli.commands.RiverCommand;
import org.rapidsrivers.cli.commands.SendCommand;
import org.rapidsrivers.cli.commands.SubscribeCommand;
import org.rapidsrivers.cli.commands.TopicsCommand;
import org.rapidsrivers.cli.operate.MonitorsCommand;
import org.rapidsrivers.cli.operate.StatusCommand;
import org.rapidsrivers.cli.operate.DeadLettersCommand;
import org.rapidsrivers.cli.operate.RedriveCommand;
import org.rapidsrivers.cli.operate.TopologyCommand;
import org.rapidsrivers.cli.ui.UiCommand;
import org.rapidsrivers.cli.commands.UnsubscribeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Understands the commands a line typed at {@code cmd> } can run, in the order help lists them. */
@Command(name = "", subcommands = {
        HelpCommand.class, ExitCommand.class, SendCommand.class, SubscribeCommand.class, ReadFromCommand.class,
        ListSubsCommand.class, UnsubscribeCommand.class, TopicsCommand.class, AdvertiseCommand.class,
        StatusCommand.class, DeadLettersCommand.class, RedriveCommand.class, RiverCommand.class, MonitorCommand.class, MonitorsCommand.class,
                TopologyCommand.class, UiCommand.class, ArchiveCommand.class, ReplayCommand.class, TraceCommand.class, TailCommand.class, BenchCommand.class, ProvisionCommand.class, ScenarioCommand.class, ServiceCommand.class})
public final class ShellCommands {

    private ShellCommands() {
    }

    /** A fresh set of the shell's commands, working in the given session. */
    public static CommandLine commandLine(Session session) {
        return configure(new CommandLine(new ShellCommands(), new CommandFactory(session)), session,
                session.output().out(), session.output().err());
    }

    static CommandLine configure(CommandLine commandLine, Session session, PrintWriter out, PrintWriter err) {
        Errors errors = new Errors(session);
        // every command explains itself with --help, as rr help <command> does
        commandLine.getSubcommands().values().forEach(command -> command.getCommandSpec().addOption(
                CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show what this command does and its options.").build()));
        return commandLine
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setCaseInsensitiveEnumValuesAllowed(false)
                // "--stage bench" names a stage, not the bench command
                .setAllowSubcommandsAsOptionParameters(true);
    }
}
