package org.rapidsrivers.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.monitor.MonitorPond;
import org.rapidsrivers.core.monitor.MonitorRule;
import org.rapidsrivers.core.monitor.MonitorState;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.time.ManualClock;
import org.rapidsrivers.service.Dispatcher;
import org.rapidsrivers.service.MessageContext;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.monitor.MonitorService;

/**
 * Understands services in unit tests: in memory and synchronous, with no database, no threads and no
 * sleeps. Start one service or several, send an event in, look at what was published, and move the
 * clock on to reach deadlines. Everything published is also handed on to the services started here
 * (as the rapids would), so several services can run together in one test; what a handler throws is
 * thrown to the test.
 */
public final class TestRapids {
    public static final Instant START = Instant.parse("2026-11-22T11:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final Map<String, Connection> services = new LinkedHashMap<>();
    private final List<Event> published = new ArrayList<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Deque<Event> pending = new ArrayDeque<>();
    private final Map<String, Pond> ponds = new LinkedHashMap<>();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<String> metrics = new ArrayList<>();
    private long timerOrder;
    private boolean delivering;

    /** Starts a service here: its rivers listen from now on. */
    public TestRapids start(Service service) {
        Connection connection = new Connection(service.name());
        services.put(service.name(), connection);
        service.start(connection);
        return this;
    }

    /**
     * Restarts a service as its process would be restarted: the instance started before, its rivers and
     * its timers are gone; its pond and the reminders in its river are kept, and the new instance starts
     * from what the pond holds.
     */
    public TestRapids restart(Service service) {
        if (services.remove(service.name()) == null) {
            throw new IllegalArgumentException("no service named " + service.name() + " was started here");
        }
        timers.removeIf(timer -> timer.service().equals(service.name()) && !timer.durable());
        return start(service);
    }

    /**
     * Adds a monitor over this test's traffic, in the words of {@code rr monitor add} with its name first
     * ({@code "bundles --when ViewPage --expect OfferBundle --within 3s --at-least 99% --over 10m"}), and starts the
     * monitor service here if it is not yet: the acceptance test is the monitor. {@link #monitorState} says how
     * it stands as the clock moves on; what it publishes (MonitorBreached, MonitorRecovered) is in {@link #published}.
     */
    public MonitorRule monitor(String rule) {
        MonitorRule parsed = MonitorRule.parse(rule);
        new MonitorPond(pond(MonitorPond.SERVICE)).add(parsed, clock.instant());
        if (!services.containsKey(MonitorPond.SERVICE)) {
            // nothing here is hidden by a visibility, so the monitor need not wait one out after starting
            settings.putIfAbsent("hold", "0ms");
            start(new MonitorService(metrics::add));
        }
        send(MonitorPond.ADDED, Json.object().put("monitor", parsed.name()).put("rule", parsed.text()));
        return parsed;
    }

    /** What the monitor service last said of a monitor (empty before its first evaluation). */
    public Optional<MonitorState> monitorState(String name) {
        return new MonitorPond(pond(MonitorPond.SERVICE)).state(name);
    }

    /** The embedded-metric lines the monitor service wrote. */
    public List<String> monitorMetrics() {
        return List.copyOf(metrics);
    }

    /** Gives every service started here this setting (as rr service --set name=value does). */
    public TestRapids withSetting(String name, String value) {
        settings.put(name, value);
        return this;
    }

    /**
     * A service's pond, in memory and on the test's clock: seed it before starting the service, look into
     * it after; a service started again here (a restart) finds what it kept.
     */
    public Pond pond(String serviceName) {
        return ponds.computeIfAbsent(serviceName, name -> Pond.inMemory(clock));
    }

    /** A connection for rivers registered directly in a test, as a service of the given name. */
    public RapidsConnection connection(String serviceName) {
        return services.computeIfAbsent(serviceName, Connection::new);
    }

    /** Sends an event in from outside (a shell, a browser) and runs everything it causes. */
    public Event send(String type, JsonNode payload) {
        Event event = Event.builder(Topic.of(type), "test", Json.compact(payload)).clock(clock).build();
        send(event);
        return event;
    }

    public void send(Event event) {
        pending.add(event);
        deliver();
    }

    /** Moves the clock on, running every timer that falls due on the way, in time order. */
    public void advance(Duration by) {
        Instant until = clock.instant().plus(by);
        while (!timers.isEmpty() && !timers.peek().due().isAfter(until)) {
            Timer timer = timers.poll();
            clock.advance(Duration.between(clock.instant(), timer.due()).isNegative() ? Duration.ZERO
                    : Duration.between(clock.instant(), timer.due()));
            Dispatcher.Handled handled = timer.run().get();
            publishAll(handled.events());
            handled.published();
        }
        clock.advance(Duration.between(clock.instant(), until));
    }

    /** Everything published so far, in order (what was sent in from outside is not included). */
    public List<Event> published() {
        return List.copyOf(published);
    }

    /** What was published of one type, in order. */
    public List<Event> published(String type) {
        return published.stream().filter(e -> e.type().value().equals(type)).toList();
    }

    public void clearPublished() {
        published.clear();
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Gives one service an event again as rr replay would: into that service only, marked with the replay's
     * generation (its handler sees {@code packet.replay()}); what it publishes goes to every service, with
     * ids new to them. Returns what it published.
     */
    public List<Event> replay(String service, Event event, long generation) {
        if (generation < 1) {
            throw new IllegalArgumentException("a replay's generation is 1 or more (0 means a live event)");
        }
        Connection connection = services.get(service);
        if (connection == null) {
            throw new IllegalArgumentException("no service " + service + " was started on these rapids");
        }
        Dispatcher.Handled caused = connection.dispatcher.handle(event, generation);
        published.addAll(caused.events());
        pending.addAll(caused.events());
        caused.published();
        deliver();
        return caused.events();
    }

    private void publishAll(List<Event> events) {
        published.addAll(events);
        pending.addAll(events);
        deliver();
    }

    /** Delivers breadth first, so a long chain is a loop here, not a deep recursion. */
    private void deliver() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (!pending.isEmpty()) {
                Event event = pending.poll();
                for (Connection service : List.copyOf(services.values())) {
                    if (service.dispatcher.types().contains(event.type().value())) {
                        Dispatcher.Handled caused = service.dispatcher.handle(event);
                        published.addAll(caused.events());
                        pending.addAll(caused.events());
                        caused.published();
                    }
                }
            }
        } finally {
            delivering = false;
        }
    }

    /** A task set for later: a timer of one instance, or (durable) a reminder kept in the service's river. */
    private record Timer(String service, boolean durable, Instant due, long order,
                         Supplier<Dispatcher.Handled> run) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byTime = due.compareTo(other.due);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    /** Understands one service's connection to these rapids. */
    private final class Connection implements RapidsConnection {
        private final String name;
        private final Dispatcher dispatcher;
        private final Map<String, BiConsumer<String, MessageContext>> reminders = new LinkedHashMap<>();

        Connection(String name) {
            this.name = name;
            // ids keyed by the service's pond, which a restarted instance keeps: it publishes under the same ids
            this.dispatcher = new Dispatcher(name, MessageContext.DEFAULT_MAX_HOPS, message -> { }, () -> TestRapids.this.pond(name)).clock(clock);
        }

        @Override
        public Pond pond() {
            return TestRapids.this.pond(name);
        }

        @Override
        public Optional<String> setting(String setting) {
            return Optional.ofNullable(settings.get(setting));
        }

        @Override
        public void register(River river) {
            dispatcher.register(river);
        }

        @Override
        public void publish(Event event) {
            publishAll(List.of(event));
        }

        @Override
        public Clock clock() {
            return clock;
        }

        /** Handled by the service's instance running when it is due: the one started again after a restart. */
        @Override
        public void remind(Instant due, Event cause, String kind, String key) {
            timers.add(new Timer(name, true, due, timerOrder++, () -> {
                Connection running = services.get(name);
                BiConsumer<String, MessageContext> handler = running == null ? null : running.reminders.get(kind);
                if (handler == null) {
                    throw new IllegalStateException("a reminder of kind " + kind + " came to service " + name
                            + ", which handles no such reminder");
                }
                return running.dispatcher.run(cause, "reminder/" + kind + "/" + key, context -> handler.accept(key, context));
            }));
        }

        @Override
        public void onReminder(String kind, BiConsumer<String, MessageContext> handler) {
            if (reminders.putIfAbsent(kind, handler) != null) {
                throw new IllegalArgumentException("service " + name + " handles reminders of kind " + kind + " twice");
            }
        }

        @Override
        public void at(Instant due, Event cause, Consumer<MessageContext> task) {
            timers.add(new Timer(name, false, due, timerOrder++, () -> dispatcher.run(cause, "timer/" + due.toEpochMilli(), task)));
        }
    }
}
