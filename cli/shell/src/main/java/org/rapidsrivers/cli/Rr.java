package org.rapidsrivers.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.archive.ArchiveCommand;
import org.rapidsrivers.cli.archive.ReplayCommand;
import org.rapidsrivers.cli.archive.TailCommand;
import org.rapidsrivers.cli.archive.TraceCommand;
import org.rapidsrivers.cli.bench.BenchCommand;
import org.rapidsrivers.cli.commands.AdvertiseCommand;
import org.rapidsrivers.cli.commands.ExitCommand;
import org.rapidsrivers.cli.commands.HelpCommand;
import org.rapidsrivers.cli.commands.ListSubsCommand;
import org.rapidsrivers.cli.commands.ReadFromCommand;
import org.rapidsrivers.cli.commands.MonitorCommand;
import org.rapidsrivers.cli.commands.RiverCommand;
import org.rapidsrivers.cli.commands.ScenarioCommand;
import org.rapidsrivers.cli.commands.SendCommand;
import org.rapidsrivers.cli.commands.ServiceCommand;
import org.rapidsrivers.cli.commands.SubscribeCommand;
import org.rapidsrivers.cli.commands.TopicsCommand;
import org.rapidsrivers.cli.commands.UnsubscribeCommand;
import org.rapidsrivers.cli.deploy.DeployCommand;
import org.rapidsrivers.cli.deploy.ProvisionCommand;
import org.rapidsrivers.cli.deploy.RemoveCommand;
import org.rapidsrivers.cli.operate.DeadLettersCommand;
import org.rapidsrivers.cli.operate.RedriveCommand;
import org.rapidsrivers.cli.operate.MonitorsCommand;
import org.rapidsrivers.cli.operate.StatusCommand;
import org.rapidsrivers.cli.operate.TopologyCommand;
import org.rapidsrivers.cli.session.Arguments;
import org.rapidsrivers.cli.session.CommandFactory;
import org.rapidsrivers.cli.session.Errors;
import org.rapidsrivers.cli.session.GlobalOptions;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.cli.shell.Shell;
import org.rapidsrivers.cli.ui.UiCommand;
import org.rapidsrivers.core.InvalidInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/**
 * Understands the three ways rr runs: with a command on its command line (one shot), with no
 * command on a terminal (the interactive {@code cmd> } shell), or with commands on standard input
 * (a script, echoed line by line).
 */
@Command(name = "rr", mixinStandardHelpOptions = true, version = "rr 0.1.0",
        description = "Rapids & Rivers: send events to the rapids, subscribe rivers to topics, read from rivers.",
        subcommands = {
                HelpCommand.class, ExitCommand.class, SendCommand.class, SubscribeCommand.class, ReadFromCommand.class,
                ListSubsCommand.class, UnsubscribeCommand.class, TopicsCommand.class, AdvertiseCommand.class,
                StatusCommand.class, DeadLettersCommand.class, RedriveCommand.class, RiverCommand.class, MonitorCommand.class, MonitorsCommand.class,
                TopologyCommand.class, UiCommand.class, ArchiveCommand.class, ReplayCommand.class, TraceCommand.class, TailCommand.class,
                BenchCommand.class, ProvisionCommand.class, ScenarioCommand.class, ServiceCommand.class, DeployCommand.class, RemoveCommand.class})
public final class Rr implements Callable<Integer> {
    private final Session session;

    @Mixin
    GlobalOptions options;


    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        String[] arguments;
        try {
            arguments = Arguments.utf8(args);
        } catch (InvalidInput notUtf8) {
            err.println("error: " + notUtf8.getMessage());
            System.exit(Errors.USAGE);
            return;
        }
        ClassDataTraining.runIfAsked();
        System.exit(run(arguments, out, err));
    }

    /** Runs rr to the end and returns its exit code; nothing it opened is left open. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        GlobalOptions options = new GlobalOptions();
        Session session = new Session(options, out, err);
        CommandLine commandLine = new CommandLine(new Rr(session, options), new CommandFactory(session));
        ShellCommands.configure(commandLine, session, out, err);
        int code;
        try {
            code = commandLine.execute(args);
        } finally {
            try {
                session.close();
            } catch (RuntimeException closing) {
                new Errors(session).report(closing);
            }
        }
        return code;
    }

    private Rr(Session session, GlobalOptions options) {
        this.session = session;
        this.options = options;
    }

    /** No command given: a shell on a terminal, else a script from standard input. */
    @Override
    public Integer call() {
        return new Shell(session).run();
    }
}
