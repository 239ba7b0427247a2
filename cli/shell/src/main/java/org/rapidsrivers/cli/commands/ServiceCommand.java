package org.rapidsrivers.cli.commands;

import org.rapidsrivers.cli.DurationText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.Session;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.offers.OffersScenario;
import org.rapidsrivers.offers.Pond;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * Understands how to run one service of the offers scenario as a long-running process of its own,
 * on the stage the global options choose: Ctrl-C (or SIGTERM) finishes the message in hand, stops
 * cleanly and exits 0.
 */
@Command(name = "service", description = "Run one service of the offers scenario until Ctrl-C", abbreviateSynopsis = true)
public final class ServiceCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "<service>",
            description = "segmentation, membership, location, brand or offer-engine.")
    String name;

    @Option(names = "--window", paramLabel = "<duration>", defaultValue = "2s",
            description = "For offer-engine: how long it collects offers (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--visibility", paramLabel = "<duration>", defaultValue = "30s",
            description = "How long a message in hand stays hidden; one this process dies with comes back after it"
                    + " (default: ${DEFAULT-VALUE}).")
    String visibility;

    public ServiceCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Duration collect = DurationText.parse(window, "--window", Duration.ofMillis(10), Duration.ofMinutes(10));
        Duration hidden = DurationText.parse(visibility, "--visibility", Duration.ofSeconds(1), Duration.ofHours(12));
        List<Pond> ponds = new ArrayList<>();
        Path pondDir = session.options().dataDir().resolve("ponds");
        Service service = OffersScenario.service(name, pondDir, collect, ponds);
        Backend backend = session.backendWithPlanes();
        ServiceRunner runner = new ServiceRunner(backend, service,
                ServiceRunner.Settings.defaults().withLog(session.output()::notice).withVisibility(hidden));
        try {
            runner.start();
            Signal.handle(new Signal("INT"), signal -> runner.stop());
            Signal.handle(new Signal("TERM"), signal -> runner.stop());
            runner.run();
            ServiceRunner.Stats stats = runner.stats();
            session.output().notice("service " + name + " stopped: handled " + stats.handled() + ", duplicates skipped "
                    + stats.duplicates() + ", failed " + stats.failed() + ", refused by the hop limit " + stats.refused());
            return 0;
        } finally {
            ponds.forEach(Pond::close);
        }
    }
}
