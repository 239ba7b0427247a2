package org.rapidsrivers.cli.commands;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.bench.ModelledRoundTrip;
import org.rapidsrivers.cli.session.CommandFailed;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.DurationText;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.service.Scenario;
import org.rapidsrivers.service.ServiceCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Understands how to run a scenario found on the class path on whatever stage the global options
 * choose: its options read and checked here, the scenario itself ({@link Scenario}) runs the services
 * (from the class path's catalog, unless --no-services), starts the chain and checks what came of it.
 */
@Command(name = "scenario", description = "Run a scenario end to end (offers: the five services and a check)",
        abbreviateSynopsis = true)
public final class ScenarioCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "<scenario>", description = "The scenario to run: offers.")
    String name;

    @Option(names = "--user", paramLabel = "<user>", defaultValue = "Sally", description = "Who views the page (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--window", paramLabel = "<duration>", defaultValue = "2s",
            description = "How long the offer engine started here collects offers (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "30s",
            description = "How long to wait for the bundle after the window (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--repeat", paramLabel = "<users>", defaultValue = "0",
            description = "Run it for this many users who all qualify for the five offers, and print the latencies.")
    int repeat;

    @Option(names = "--interval", paramLabel = "<duration>", defaultValue = "1s",
            description = "With --repeat: time between two users' page views (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--no-services", description = "Do not start the services here: they run as rr service processes.")
    boolean noServices;

    @Option(names = "--instances", paramLabel = "<n>", defaultValue = "1",
            description = "Start this many instances of each service here, 1-10 (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--monitors", description = "Install the scenario's monitors (bundles, road-warrior), run the monitor"
            + " service with the others, and say at the end how they stand (a breach fails the run).")
    boolean monitors;

    @Option(names = "--add-user", paramLabel = "<name>",
            description = "First put this user into the services' ponds, with --segment and --level.")
    String addUser;

    @Option(names = "--segment", paramLabel = "<segment>", description = "With --add-user: the user's segment (e.g. RoadWarrior).")
    String segment;

    @Option(names = "--level", paramLabel = "<level>", description = "With --add-user: the user's membership level (e.g. Platinum).")
    String level;

    @Option(names = "--rtt", paramLabel = "<round trip>",
            description = "On the aws backend, make every AWS call wait a modelled round trip first (20ms, or sqs=20ms,kinesis=25ms):"
                    + " an emulator on this machine answers faster than a region.")
    String rtt;

    public ScenarioCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Scenario scenario = Scenario.named(name);
        Scenario.Options options = new Scenario.Options(user,
                DurationText.parse(window, "--window", Duration.ofMillis(100), Duration.ofMinutes(10)),
                DurationText.parse(timeout, "--timeout", Duration.ofMillis(100), Duration.ofHours(1)),
                repeat, DurationText.parse(interval, "--interval", Duration.ZERO, Duration.ofMinutes(1)),
                !noServices, instances, newUser(), monitors);
        if (rtt != null) {
            if (!"aws".equals(session.stageOptions(session.stage()).backend())) {
                throw new InvalidInput("--rtt models an AWS region's round trips: use it with --backend aws");
            }
            ModelledRoundTrip roundTrip = ModelledRoundTrip.parse(rtt);
            session.addInterceptor(roundTrip);
            session.output().notice("every AWS call waits a modelled round trip first: " + roundTrip.describe());
        }
        try {
            return scenario.run(new Scenario.Run(session.backendWithPlanes(), options, ServiceCatalog.onClassPath(),
                    session.output()::plain, this::log));
        } catch (Scenario.Failed failed) {
            throw new CommandFailed(failed.getMessage());
        }
    }

    private Optional<Scenario.NewUser> newUser() {
        if (addUser == null) {
            if (segment != null || level != null) {
                throw new InvalidInput("--segment and --level describe the user of --add-user <name>: give it too");
            }
            return Optional.empty();
        }
        if (segment == null && level == null) {
            throw new InvalidInput("--add-user " + addUser + " needs --segment <segment>, --level <level> or both");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        Optional.ofNullable(segment).ifPresent(value -> facts.put("segment", value));
        Optional.ofNullable(level).ifPresent(value -> facts.put("level", value));
        return Optional.of(new Scenario.NewUser(addUser, facts));
    }

    /** What the services say goes to standard error; their start-up lines only with --debug. */
    private void log(String line) {
        if (session.options().debug() || !line.startsWith("service ")) {
            session.output().notice(line);
        }
    }
}
