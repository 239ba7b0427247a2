package org.rapidsrivers.offers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.measure.LatencyRecorder;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.RapidsTail;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.service.Scenario;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.core.monitor.MonitorPond;
import org.rapidsrivers.core.monitor.MonitorRule;
import org.rapidsrivers.service.ServiceRunner;
import org.rapidsrivers.service.ServiceSettings;

/**
 * Understands the offers scenario on a stage (rr scenario offers): the five services, started here or
 * running elsewhere; a watcher that follows every chain on the rapids' tail (no river, no service); a ViewPage sent, its OfferBundle awaited, the chain printed as a tree by causation,
 * and the bundle checked: the five expected offers must be in it, and any other a service of the
 * user's own made is listed by its source. With --repeat, many users and the latencies as one JSON line.
 */
public final class OffersScenario implements Scenario {
    public static final List<String> SERVICES = List.of("segmentation", "membership", "location", "brand", "offer-engine");
    /** The offers Sally (or any RoadWarrior who is Platinum) must get, as "source offer", sorted. */
    public static final List<String> EXPECTED = List.of("brand baseline", "brand road-warrior", "location baseline",
            "location road-warrior", "location road-warrior+platinum");
    /** The user of the page view before the counted ones. */
    static final String WARM_UP_USER = "user-warm-up";
    private static final Set<String> TYPES = Set.of(Offers.VIEW_PAGE, Offers.SEGMENT, Offers.MEMBERSHIP, Offers.OFFER,
            Offers.BUNDLE, Offers.AMENDED);

    @Override
    public String name() {
        return "offers";
    }

    @Override
    public int run(Run run) {
        Options options = run.options();
        if (options.repeat() < 0 || options.repeat() > 10_000) {
            throw new InvalidInput("--repeat must be between 0 and 10000 users");
        }
        if (options.instances() < 1 || options.instances() > 10) {
            throw new InvalidInput("--instances must be between 1 and 10 of each service");
        }
        options.addUser().ifPresent(user -> addUser(run.backend(), user, run.out()));
        List<MonitorRule> monitors = options.monitors() ? ScenarioMonitors.install(run, options.window()) : List.of();
        try (Stage stage = new Stage(run)) {
            if (options.startServices()) {
                for (int instance = 0; instance < options.instances(); instance++) {
                    SERVICES.forEach(name -> stage.start(run.services().create(name), options.window()));
                }
                if (!monitors.isEmpty()) {
                    stage.start(run.services().create(MonitorPond.SERVICE), options.window());
                }
            }
            stage.watch();
            Duration wait = options.window().plus(options.timeout());
            int code = options.repeat() > 0 ? repeated(stage, run, wait) : once(stage, run, wait);
            if (monitors.isEmpty()) {
                return code;
            }
            return ScenarioMonitors.report(run, monitors, stage.lastView()) ? code : 1;
        }
    }

    /** Puts a user's facts into the services' ponds: the segment into segmentation's, the level into membership's. */
    static void addUser(Backend backend, Scenario.NewUser user, Consumer<String> out) {
        if (user.name().isBlank() || user.name().length() > 100) {
            throw new InvalidInput("--add-user needs a name of 1-100 characters");
        }
        user.facts().forEach((field, value) -> {
            if (!Set.of("segment", "level").contains(field)) {
                throw new InvalidInput("unknown fact '" + field + "': a user has a segment and a level");
            }
            if (value.isBlank() || value.length() > 100) {
                throw new InvalidInput("a user's " + field + " must be 1-100 characters");
            }
        });
        Optional.ofNullable(user.facts().get("segment")).ifPresent(segment -> Segmentation.seed(backend.pond("segmentation"),
                user.name(), segment));
        Optional.ofNullable(user.facts().get("level")).ifPresent(level -> Membership.seed(backend.pond("membership"),
                user.name(), level));
        out.accept("added " + user.name() + " " + user.facts() + " to the ponds of segmentation and membership");
    }

    private int once(Stage stage, Run run, Duration wait) {
        String user = run.options().user();
        Event view = stage.viewPage(user);
        run.out().accept("sent ViewPage " + view.id() + " for " + user + " (rr trace " + view.id() + " draws its chain)");
        Chain chain = stage.await(view, wait).orElseThrow(() -> new Scenario.Failed("no OfferBundle for " + user
                + "'s ViewPage within " + wait.toSeconds() + " s"
                + (run.options().startServices() ? "" : " (are the five services running, e.g. rr service location, on this stage?)")));
        run.out().accept(chain.tree());
        run.out().accept("OfferBundle for " + user + ":");
        run.out().accept(Json.pretty(chain.bundle().payload()));
        List<String> missing = chain.missing();
        if (!missing.isEmpty()) {
            throw new Scenario.Failed("the bundle holds " + offersIn(chain.bundle()) + ": the expected offers "
                    + missing + " are not in it (the five expected are " + EXPECTED + ")");
        }
        List<String> others = chain.others();
        run.out().accept("ok: the bundle holds the five expected offers" + (others.isEmpty() ? ""
                : ", and " + others.size() + " more: " + String.join(", ", others)));
        return 0;
    }

    private int repeated(Stage stage, Run run, Duration wait) {
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= run.options().repeat(); i++) {
            users.add(String.format("user-%05d", i));
        }
        seedQualifying(run.backend(), users);
        boolean warmed = run.options().startServices();
        Optional<Chain> warm = warmed ? warmUp(stage, run, wait) : Optional.empty();
        List<Event> views = new ArrayList<>();
        Instant sentFrom = Instant.now();
        long start = System.nanoTime();
        for (int i = 0; i < users.size(); i++) {
            sleepUntil(start + run.options().interval().toNanos() * i);
            views.add(stage.viewPage(users.get(i)));
        }
        LatencyRecorder latency = new LatencyRecorder();
        LatencyRecorder hops = new LatencyRecorder();
        for (Event view : views) {
            stage.await(view, wait);
        }
        // an offer late for its bundle comes in an amendment: one more window for those to arrive
        sleepUntil(System.nanoTime() + run.options().window().toNanos());
        int ok = 0;
        int complete = 0;
        int amended = 0;
        int twice = 0;
        List<String> incomplete = new ArrayList<>();
        for (Event view : views) {
            Optional<Chain> chain = stage.chain(view);
            String who = view.payload().path("user").asText() + " (ViewPage " + view.id() + ")";
            if (chain.isEmpty()) {
                incomplete.add(who + ": no bundle");
            } else if (!chain.get().missingWithAmendments().isEmpty()) {
                List<String> late = chain.get().late();
                List<String> unseen = chain.get().missingWithAmendments().stream().filter(o -> !late.contains(o)).toList();
                incomplete.add(who + ": " + (late.isEmpty() ? "" : "late " + late + " (offered after its last amendment)")
                        + (late.isEmpty() || unseen.isEmpty() ? "" : "; ") + (unseen.isEmpty() ? "" : "no " + unseen
                        + " offered by the end of the watch (late or lost: rr trace " + view.id() + " shows what came since)"));
            }
            if (chain.isPresent()) {
                ok += chain.get().missing().isEmpty() ? 1 : 0;
                complete += chain.get().missingWithAmendments().isEmpty() ? 1 : 0;
                amended += chain.get().amendments().isEmpty() ? 0 : 1;
                twice += chain.get().bundles().size() > 1 ? 1 : 0;
                latency.record(chain.get().lastOfferMillis() * 1_000_000);
                chain.get().hopMillis().forEach(ms -> hops.record(ms * 1_000_000));
            }
        }
        int repeat = run.options().repeat();
        ObjectNode report = Json.object().put("scenario", "offers").put("backend", run.backend().kind())
                .put("users", repeat).put("ok", ok).put("complete_with_amendments", complete).put("amended", amended)
                .put("two_bundles", twice).put("window_ms", run.options().window().toMillis());
        report.putObject("latency_ms").put("p50", latency.percentile(50)).put("p99", latency.percentile(99));
        report.putObject("hops_ms").put("p50", hops.percentile(50)).put("p99", hops.percentile(99));
        if (warmed) {
            ObjectNode cold = report.putObject("warm_up").put("user", WARM_UP_USER);
            warm.ifPresentOrElse(chain -> cold.put("latency_ms", chain.lastOfferMillis()).put("slowest_hop_ms",
                    chain.slowestHopMillis()), () -> cold.putNull("latency_ms"));
        }
        run.out().accept(String.format("users %d, bundles with the five offers %d, with an amendment %d, complete with"
                + " amendments %d, page views with two bundles %d%nViewPage to last Offer: p50 %.0f ms, p99 %.0f ms%n"
                + "one hop: p50 %.0f ms, p99 %.0f ms", repeat, ok, amended, complete, twice, latency.percentile(50),
                latency.percentile(99), hops.percentile(50), hops.percentile(99)));
        if (warmed) {
            run.out().accept("warm-up (" + WARM_UP_USER + ", not counted above): " + warm.map(chain -> String.format(
                    "ViewPage to last Offer %d ms, slowest hop %d ms", chain.lastOfferMillis(), chain.slowestHopMillis()))
                    .orElse("no bundle within " + wait.toSeconds() + " s"));
        }
        run.out().accept("the page views' eventIds: rr tail --type ViewPage --since " + Timestamps.format(sentFrom) + " -n " + repeat);
        incomplete.forEach(line -> run.out().accept("incomplete: " + line));
        run.out().accept(Json.compact(report));
        return ok == repeat ? 0 : 1;
    }

    /**
     * One page view before the counted ones, its bundle awaited, when the scenario started the services
     * itself: their first delivery runs code no thread has run yet (classes loaded, the compiler not yet at
     * work), which says how services start, not how they run. Reported on its own line; the percentiles are
     * of the counted page views. Services running elsewhere (--no-services) are measured as they are.
     */
    private static Optional<Chain> warmUp(Stage stage, Run run, Duration wait) {
        seedQualifying(run.backend(), List.of(WARM_UP_USER));
        return stage.await(stage.viewPage(WARM_UP_USER), wait);
    }

    /** Makes each user a RoadWarrior and Platinum in the sample ponds, so every one of the five offers applies. */
    private static void seedQualifying(Backend backend, List<String> users) {
        Pond segments = backend.pond("segmentation");
        Pond levels = backend.pond("membership");
        users.forEach(user -> {
            Segmentation.seed(segments, user, Offers.ROAD_WARRIOR);
            Membership.seed(levels, user, Offers.PLATINUM);
        });
    }

    /** The bundle's offers as "source offer", in order. */
    public static List<String> offersIn(Event bundle) {
        List<String> offers = new ArrayList<>();
        bundle.payload().path("offers").forEach(o -> offers.add(o.path("source").asText() + " " + o.path("offer").asText()));
        return offers;
    }

    private static void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Understands the scenario's own processes on the stage: the services it started and the watcher. */
    private static final class Stage implements AutoCloseable {
        private final Run run;
        private final List<Running> running = new ArrayList<>();
        private final Map<String, List<Event>> chains = new ConcurrentHashMap<>();
        private Thread watching = new Thread(() -> { });
        private Instant lastView = Instant.now();

        Stage(Run run) {
            this.run = run;
        }

        void start(Service service, Duration window) {
            ServiceSettings settings = ServiceSettings.builder().log(run.notices())
                    .values(Map.of("window", window.toMillis() + "ms", "metrics", "off")).build();
            ServiceRunner runner = new ServiceRunner(run.backend(), service, settings);
            runner.start();
            Thread thread = new Thread(runner::run, "rr-service-" + service.name());
            thread.setDaemon(true);
            thread.start();
            running.add(new Running(runner, thread));
        }

        /**
         * The watcher: one more reader of the rapids' tail, so it takes nothing from anyone, has no river and
         * is no service; it keeps each event of the scenario under its chain's correlation id.
         */
        void watch() {
            RapidsTail tail = run.backend().operations().tail();
            Thread thread = new Thread(() -> {
                while (!watching.isInterrupted()) {
                    try {
                        tail.await(Duration.ofMillis(500)).forEach(this::keep);
                    } catch (InterruptedException stopped) {
                        return;
                    } catch (RuntimeException unreadable) {
                        if (watching.isInterrupted() || Thread.currentThread().isInterrupted()) {
                            // stopped in the middle of a read (the AWS client says so with an exception of its own)
                            return;
                        }
                        run.notices().accept("the scenario's watcher could not read the rapids: " + unreadable.getMessage());
                        LockSupport.parkNanos(1_000_000_000L);
                    }
                }
            }, "rr-watch-offers");
            watching = thread;
            thread.setDaemon(true);
            thread.start();
        }

        private void keep(String text) {
            Event.whole(text).filter(event -> TYPES.contains(event.type().value())).ifPresent(event -> chains.computeIfAbsent(
                    event.correlationId().orElse(event.id()), id -> new CopyOnWriteArrayList<>()).add(event));
        }

        Event viewPage(String user) {
            Event view = Event.builder(Topic.of(Offers.VIEW_PAGE), "scenario", Json.object().put("user", user))
                    .partitionKey(user).build();
            run.backend().rapids().publish(view);
            lastView = view.timestamp();
            return view;
        }

        /** When the last page view was sent (the monitors judge up to it before the scenario says how they stand). */
        Instant lastView() {
            return lastView;
        }

        /** The chain as seen so far, once its bundle came. */
        Optional<Chain> chain(Event view) {
            List<Event> chain = chains.getOrDefault(view.id(), List.of());
            return chain.stream().filter(e -> e.type().value().equals(Offers.BUNDLE)).findFirst()
                    .map(bundle -> new Chain(view, List.copyOf(chain), bundle));
        }

        Optional<Chain> await(Event view, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                List<Event> chain = chains.getOrDefault(view.id(), List.of());
                Optional<Event> bundle = chain.stream().filter(e -> e.type().value().equals(Offers.BUNDLE)).findFirst();
                if (bundle.isPresent()) {
                    return Optional.of(new Chain(view, List.copyOf(chain), bundle.get()));
                }
                LockSupport.parkNanos(5_000_000);
                if (Thread.currentThread().isInterrupted()) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        @Override
        public void close() {
            watching.interrupt();
            running.forEach(r -> r.runner().stop());
            for (Running r : running) {
                try {
                    r.thread().join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                watching.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.clear();
        }
    }

    private record Running(ServiceRunner runner, Thread thread) {
    }

    /** Understands one chain of events, from the ViewPage to its OfferBundle, as a tree by causation. */
    public record Chain(Event root, List<Event> events, Event bundle) {
        /** Every bundle of the page view, by distinct eventId: more than one would be a fault. */
        public List<Event> bundles() {
            return events.stream().filter(e -> e.type().value().equals(Offers.BUNDLE)).map(Event::id).distinct()
                    .map(id -> events.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow()).toList();
        }

        /** The amendments: offers that came after the bundle. */
        public List<Event> amendments() {
            return events.stream().filter(e -> e.type().value().equals(Offers.AMENDED)).toList();
        }

        /** The expected offers in neither the bundle nor an amendment. */
        public List<String> missingWithAmendments() {
            List<String> offers = new ArrayList<>(offersIn(bundle));
            amendments().forEach(amendment -> offers.addAll(offersIn(amendment)));
            return EXPECTED.stream().filter(expected -> !offers.contains(expected)).toList();
        }

        /** The expected offers that were offered (an Offer in the chain) and are in neither the bundle nor an amendment. */
        public List<String> late() {
            List<String> missing = missingWithAmendments();
            return events.stream().filter(e -> e.type().value().equals(Offers.OFFER))
                    .map(e -> e.payload().path("source").asText() + " " + e.payload().path("offer").asText())
                    .filter(missing::contains).distinct().toList();
        }

        /** The expected offers the bundle does not hold. */
        public List<String> missing() {
            List<String> offers = offersIn(bundle);
            return EXPECTED.stream().filter(expected -> !offers.contains(expected)).toList();
        }

        /** The offers beyond the five: what services of the user's own made, as "source offer". */
        public List<String> others() {
            return offersIn(bundle).stream().filter(offer -> !EXPECTED.contains(offer)).toList();
        }

        /** Milliseconds from the ViewPage to the last Offer (the engine's window is not counted). */
        public long lastOfferMillis() {
            return events.stream().filter(e -> e.type().value().equals(Offers.OFFER))
                    .mapToLong(e -> Duration.between(root.timestamp(), e.timestamp()).toMillis()).max().orElse(0);
        }

        /** Each hop's milliseconds, from an event's publishing to the publishing of what it caused (bundle left out). */
        public List<Long> hopMillis() {
            Map<String, Event> byId = new ConcurrentHashMap<>();
            byId.put(root.id(), root);
            events.forEach(e -> byId.put(e.id(), e));
            List<Long> hops = new ArrayList<>();
            for (Event event : events) {
                if (event.type().value().equals(Offers.BUNDLE) || event.type().value().equals(Offers.AMENDED)) {
                    continue;
                }
                event.causationId().map(byId::get).ifPresent(parent ->
                        hops.add(Duration.between(parent.timestamp(), event.timestamp()).toMillis()));
            }
            return hops;
        }

        /** The slowest of {@link #hopMillis()}; 0 for a chain without hops. */
        public long slowestHopMillis() {
            return hopMillis().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /** The chain as a tree: who reacted to what, each hop with its latency. */
        public String tree() {
            StringBuilder out = new StringBuilder(describe(root)).append('\n');
            branch(root, "", out);
            return out.toString().stripTrailing();
        }

        private void branch(Event parent, String indent, StringBuilder out) {
            List<Event> children = events.stream()
                    .filter(e -> e.causationId().filter(parent.id()::equals).isPresent())
                    .sorted(Comparator.comparing(Event::timestamp).thenComparing(Chain::describe))
                    .toList();
            for (int i = 0; i < children.size(); i++) {
                Event child = children.get(i);
                boolean last = i == children.size() - 1;
                long ms = Duration.between(parent.timestamp(), child.timestamp()).toMillis();
                out.append(indent).append(last ? "└─ " : "├─ ").append(describe(child)).append("  +").append(ms)
                        .append(" ms").append('\n');
                branch(child, indent + (last ? "   " : "│  "), out);
            }
        }

        private static String describe(Event event) {
            JsonNode payload = event.payload();
            String what = switch (event.type().value()) {
                case Offers.OFFER -> payload.path("offer").asText() + " " + payload.path("basis");
                case Offers.BUNDLE, Offers.AMENDED -> payload.path("offers").size() + " offers";
                default -> Json.compact(payload);
            };
            return event.type() + " " + what + " (" + event.domain() + ")";
        }
    }
}
