package org.rapidsrivers.offers;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceRunner;

/**
 * Understands the offers scenario on a stage: the five services (each with its pond under a
 * directory), started here or elsewhere; an observer on the river {@code offers} that follows every
 * chain; and one run: a ViewPage sent, its OfferBundle awaited, the chain and the bundle checked.
 */
public final class OffersScenario implements AutoCloseable {
    public static final List<String> SERVICES = List.of("segmentation", "membership", "location", "brand", "offer-engine");
    /** The offers Sally (or any RoadWarrior who is Platinum) must get, as "source offer", sorted. */
    public static final List<String> EXPECTED = List.of("brand baseline", "brand road-warrior", "location baseline",
            "location road-warrior", "location road-warrior+platinum");
    public static final String OBSERVER = "offers";
    private static final Set<String> TYPES = Set.of(Offers.VIEW_PAGE, Offers.SEGMENT, Offers.MEMBERSHIP, Offers.OFFER,
            Offers.BUNDLE);

    private final Backend backend;
    private final Path pondDir;
    private final Duration window;
    private final Consumer<String> log;
    private final List<Running> running = new ArrayList<>();
    private final List<Pond> ponds = new CopyOnWriteArrayList<>();
    private final Map<String, List<Event>> chains = new ConcurrentHashMap<>();

    public OffersScenario(Backend backend, Path pondDir, Duration window, Consumer<String> log) {
        this.backend = backend;
        this.pondDir = pondDir;
        this.window = window;
        this.log = log;
    }

    /** One of the five services, with its pond in the directory (made if missing). */
    public static Service service(String name, Path pondDir, Duration window, List<Pond> opened) {
        return switch (name) {
            case "segmentation" -> new Segmentation(track(Pond.file(pondDir.resolve("segmentation.db")), opened));
            case "membership" -> new Membership(track(Pond.file(pondDir.resolve("membership.db")), opened));
            case "location" -> new Location(track(Pond.file(pondDir.resolve("location.db")), opened));
            case "brand" -> new Brand();
            case "offer-engine" -> new OfferEngine(window, track(Pond.file(pondDir.resolve("offer-engine.db")), opened));
            default -> throw new org.rapidsrivers.core.InvalidInput("unknown service '" + name + "': use one of "
                    + String.join(", ", SERVICES));
        };
    }

    /** Makes the user a RoadWarrior and Platinum in the ponds, so every one of the five offers applies. */
    public static void seedQualifying(Path pondDir, List<String> users) {
        try (Pond segments = Pond.file(pondDir.resolve("segmentation.db"));
             Pond levels = Pond.file(pondDir.resolve("membership.db"))) {
            users.forEach(user -> {
                Segmentation.seed(segments, user, Offers.ROAD_WARRIOR);
                Membership.seed(levels, user, Offers.PLATINUM);
            });
        }
    }

    /** Starts the five services in this process, each on a thread of its own. */
    public void startServices() {
        for (String name : SERVICES) {
            start(service(name, pondDir, window, ponds));
        }
    }

    /** Starts the observer, whose river follows every event of the scenario. */
    public void startObserver() {
        start(new Service() {
            @Override
            public String name() {
                return OBSERVER;
            }

            @Override
            public Set<String> publishes() {
                return Set.of();
            }

            @Override
            public void start(RapidsConnection rapids) {
                River.on(rapids).precondition(rules -> rules.requireType(TYPES.toArray(String[]::new)))
                        .register((packet, context) -> chains.computeIfAbsent(packet.correlationId(),
                                id -> new CopyOnWriteArrayList<>()).add(packet.event()));
            }
        });
    }

    /** Sends a ViewPage for the user; the event, whose id is its chain's correlation id. */
    public Event viewPage(String user) {
        Event view = Event.builder(Topic.of(Offers.VIEW_PAGE), "scenario", Json.object().put("user", user))
                .partitionKey(user).build();
        backend.rapids().publish(view);
        return view;
    }

    /** Waits for the bundle of the view's chain; the chain as seen so far, with the bundle last if it came. */
    public Optional<Chain> await(Event view, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Event> chain = chains.getOrDefault(view.id(), List.of());
            Optional<Event> bundle = chain.stream().filter(e -> e.type().value().equals(Offers.BUNDLE)).findFirst();
            if (bundle.isPresent()) {
                return Optional.of(new Chain(view, List.copyOf(chain), bundle.get()));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The bundle's offers as "source offer", in order. */
    public static List<String> offersIn(Event bundle) {
        List<String> offers = new ArrayList<>();
        bundle.payload().path("offers").forEach(o -> offers.add(o.path("source").asText() + " " + o.path("offer").asText()));
        return offers;
    }

    @Override
    public void close() {
        running.forEach(r -> r.runner().stop());
        for (Running r : running) {
            try {
                r.thread().join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.clear();
        ponds.forEach(Pond::close);
    }

    private void start(Service service) {
        ServiceRunner runner = new ServiceRunner(backend, service, ServiceRunner.Settings.defaults().withLog(log));
        runner.start();
        Thread thread = new Thread(runner::run, "rr-service-" + service.name());
        thread.setDaemon(true);
        thread.start();
        running.add(new Running(runner, thread));
    }

    private static Pond track(Pond pond, List<Pond> opened) {
        opened.add(pond);
        return pond;
    }

    private record Running(ServiceRunner runner, Thread thread) {
    }

    /** Understands one chain of events, from the ViewPage to its OfferBundle, as a tree by causation. */
    public record Chain(Event root, List<Event> events, Event bundle) {
        public boolean exact() {
            return offersIn(bundle).equals(EXPECTED);
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
                if (event.type().value().equals(Offers.BUNDLE)) {
                    continue;
                }
                event.causationId().map(byId::get).ifPresent(parent ->
                        hops.add(Duration.between(parent.timestamp(), event.timestamp()).toMillis()));
            }
            return hops;
        }

        /** The chain as a tree: who reacted to what, each hop with its latency. */
        public String tree() {
            StringBuilder out = new StringBuilder(describe(root)).append('\n');
            branch(root, "", out);
            return out.toString();
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
                case Offers.BUNDLE -> payload.path("offers").size() + " offers";
                default -> Json.compact(payload);
            };
            return event.type() + " " + what + " (" + event.domain() + ")";
        }
    }
}
