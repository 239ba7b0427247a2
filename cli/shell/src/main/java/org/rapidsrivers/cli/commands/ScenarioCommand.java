package org.rapidsrivers.cli.commands;

import org.rapidsrivers.cli.CommandFailed;
import org.rapidsrivers.cli.DurationText;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.Session;
import org.rapidsrivers.cli.LatencyRecorder;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.offers.OffersScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Understands how to run the offers scenario on whatever stage the global options choose: the five
 * services in this process (or, with --no-services, wherever they run), a ViewPage sent, its
 * OfferBundle awaited, the chain printed as a tree by causation and the bundle checked; with --repeat,
 * many users one after another and the latencies as one JSON line.
 */
@Command(name = "scenario", description = "Run the offers scenario end to end", abbreviateSynopsis = true)
public final class ScenarioCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "<scenario>", description = "The scenario to run: offers.")
    String name;

    @Option(names = "--user", paramLabel = "<user>", defaultValue = "Sally", description = "Who views the page (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--window", paramLabel = "<duration>", defaultValue = "2s",
            description = "How long the offer engine collects offers (default: ${DEFAULT-VALUE}).")
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

    public ScenarioCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (!"offers".equals(name)) {
            throw new InvalidInput("unknown scenario '" + org.rapidsrivers.core.Printable.of(name) + "': the one there is is offers");
        }
        Duration collect = DurationText.parse(window, "--window", Duration.ofMillis(10), Duration.ofMinutes(10));
        Duration patience = DurationText.parse(timeout, "--timeout", Duration.ofMillis(100), Duration.ofHours(1));
        Duration every = DurationText.parse(interval, "--interval", Duration.ZERO, Duration.ofMinutes(1));
        if (repeat < 0 || repeat > 10_000) {
            throw new InvalidInput("--repeat must be between 0 and 10000 users");
        }
        Backend backend = session.backendWithPlanes();
        Path ponds = session.options().dataDir().resolve("ponds");
        try (OffersScenario scenario = new OffersScenario(backend, ponds, collect, this::log)) {
            if (!noServices) {
                scenario.startServices();
            }
            scenario.startObserver();
            return repeat > 0 ? bench(scenario, ponds, collect, collect.plus(patience), every)
                    : once(scenario, collect.plus(patience));
        }
    }

    private int once(OffersScenario scenario, Duration wait) {
        Event view = scenario.viewPage(user);
        OffersScenario.Chain chain = scenario.await(view, wait).orElseThrow(() -> new CommandFailed("no OfferBundle for "
                + user + "'s ViewPage within " + wait.toSeconds() + " s"
                + (noServices ? " (are the five services running, e.g. rr service location, on this stage?)" : "")));
        session.output().plain(chain.tree());
        session.output().plain("OfferBundle for " + user + ":");
        session.output().plain(Json.pretty(chain.bundle().payload()));
        List<String> offers = OffersScenario.offersIn(chain.bundle());
        if (!chain.exact()) {
            throw new CommandFailed("the bundle holds " + offers + ", not the five expected offers " + OffersScenario.EXPECTED);
        }
        session.output().plain("ok: the bundle holds exactly the five expected offers");
        return 0;
    }

    private int bench(OffersScenario scenario, Path ponds, Duration collect, Duration wait, Duration every) {
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= repeat; i++) {
            users.add(String.format("user-%05d", i));
        }
        OffersScenario.seedQualifying(ponds, users);
        List<Event> views = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < users.size(); i++) {
            sleepUntil(start + every.toNanos() * i);
            views.add(scenario.viewPage(users.get(i)));
        }
        LatencyRecorder latency = new LatencyRecorder();
        LatencyRecorder hops = new LatencyRecorder();
        int ok = 0;
        for (Event view : views) {
            Optional<OffersScenario.Chain> chain = scenario.await(view, wait);
            if (chain.isPresent()) {
                ok += chain.get().exact() ? 1 : 0;
                latency.record(chain.get().lastOfferMillis() * 1_000_000);
                chain.get().hopMillis().forEach(ms -> hops.record(ms * 1_000_000));
            }
        }
        ObjectNode report = Json.object().put("scenario", "offers").put("backend", session.options().backend().name())
                .put("users", repeat).put("ok", ok).put("window_ms", collect.toMillis());
        report.putObject("latency_ms").put("p50", latency.percentile(50)).put("p99", latency.percentile(99));
        report.putObject("hops_ms").put("p50", hops.percentile(50)).put("p99", hops.percentile(99));
        session.output().plain(String.format("users %d, bundles exactly right %d%nViewPage to last Offer: p50 %.0f ms,"
                + " p99 %.0f ms%none hop: p50 %.0f ms, p99 %.0f ms", repeat, ok, latency.percentile(50),
                latency.percentile(99), hops.percentile(50), hops.percentile(99)));
        session.output().plain(Json.compact(report));
        return ok == repeat ? 0 : 1;
    }

    /** What the services say goes to standard error; their start-up lines only with --debug. */
    private void log(String line) {
        if (session.options().debug() || !line.startsWith("service ")) {
            session.output().notice(line);
        }
    }

    private static void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
