package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.TrafficNotes;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.ControlClient;

/**
 * Understands how a service lives on a stage: at start-up its river is subscribed to exactly the topics
 * its rivers need and what it publishes is advertised (through the control plane, {@link ControlClient}),
 * and a {@code ServiceStarted} event says so; then its river is read, each batch handled
 * ({@link BatchHandler}) and what was handled deleted, its timers run between receives once it has caught
 * up with its river, and two beats keep it visible ({@link Heartbeat}). It is the service's
 * {@link RapidsConnection}; a process of its own starts it with {@link #run(Service)}.
 */
public final class ServiceRunner implements RapidsConnection, AutoCloseable {
    public static final String STARTED = TrafficNotes.SERVICE_STARTED;
    public static final String ALIVE = TrafficNotes.SERVICE_ALIVE;
    public static final String STOPPED = TrafficNotes.SERVICE_STOPPED;
    /** The longest a restarted service reads its backlog before its timers fire anyway. */
    static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);

    private final Backend backend;
    private final Service service;
    private final ServiceSettings settings;
    private final RiverName river;
    private final String instanceId = UUID.randomUUID().toString();
    private final Dispatcher dispatcher;
    private final Timers timers;
    private final RiverReader reader;
    private final Outage outage;
    private final BatchHandler batches;
    private final Heartbeat heartbeat;
    private Pond pond;
    private volatile boolean stopping;
    private final AtomicBoolean saidStopped = new AtomicBoolean();
    private volatile boolean announced;
    private boolean deployed;
    private volatile boolean caughtUp;
    private Instant startedAt;

    public ServiceRunner(Backend backend, Service service, ServiceSettings settings) {
        this.backend = backend;
        this.service = service;
        this.settings = settings;
        this.river = RiverName.of(service.name());
        this.dispatcher = new Dispatcher(service.name(), settings.maxHops(), settings.log(), this::pond).clock(settings.clock());
        this.timers = new Timers(settings.clock());
        this.reader = new RiverReader(backend.rivers(), river);
        this.outage = new Outage(service.name(), settings.log());
        this.batches = new BatchHandler(backend, service.name(), instanceId, dispatcher, new Deduplication(this::pond, settings.deduplicationWindow()),
                settings, outage, () -> caughtUp, () -> stopping);
        this.heartbeat = new Heartbeat(backend, service.name(), instanceId, settings, batches, () -> startedAt);
        this.startedAt = settings.clock().instant();
    }

    public ServiceRunner(Backend backend, Service service) {
        this(backend, service, ServiceSettings.defaults());
    }

    /**
     * The one line a service's main needs ({@code ServiceRunner.run(new Greeter())}): the stage the environment
     * names, the planes hosted where needed, the service run until SIGTERM or Ctrl-C ({@link ServiceMain}).
     */
    public static void run(Service service) {
        ServiceMain.run(service);
    }

    /** Runs the service until SIGTERM or Ctrl-C; the exit code (0 stopped, 1 could not run). The caller closes the backend. */
    public static int runUntilStopped(Backend backend, Service service, ServiceSettings settings) {
        return ServiceMain.runUntilStopped(backend, service, settings);
    }

    /** Registers the rivers, subscribes and advertises through the control plane, and announces the service. */
    public void start() {
        startedAt = settings.clock().instant();
        heartbeat.start(true);
        service.start(this);
        Set<String> consumes = dispatcher.types();
        List<ControlCommand> commands = new ArrayList<>();
        compiledFilters().forEach((type, filter) -> commands.add(ControlCommand.subscribe(river, type, filter,
                settings.clock())));
        service.publishes().forEach(type -> commands.add(ControlCommand.advertise(Topic.of(type), settings.clock())));
        commands.add(ControlCommand.advertise(Topic.of(STARTED), settings.clock()));
        commands.add(ControlCommand.advertise(Topic.of(STOPPED), settings.clock()));
        if (!settings.heartbeat().isZero()) {
            commands.add(ControlCommand.advertise(Topic.of(ALIVE), settings.clock()));
        }
        for (ControlClient.Answer answer : ControlClient.of(backend).send(commands, settings.startTimeout())) {
            if (!answer.applied()) {
                throw new IllegalStateException("service " + service.name() + " cannot start: " + answer.problem()
                        + (answer.unanswered() ? " (is a process hosting the planes running?)" : ""));
            }
        }
        announce(consumes);
    }

    /**
     * What the river wants of each type, as its rivers' preconditions say ({@link Dispatcher#filters}): the
     * infrastructure drops what they would skip. A river whose policy would pass an SNS limit takes every type
     * whole instead (and says so), so a service never fails to start for its filters; the runner checks every
     * rule either way.
     */
    Map<Topic, ContentFilter> compiledFilters() {
        Map<Topic, ContentFilter> filters = new TreeMap<>();
        dispatcher.filters().forEach((type, filter) -> filters.put(Topic.of(type), filter));
        try {
            new RiverPolicy(filters).requireWithinLimits(river);
            return filters;
        } catch (InvalidInput tooMuch) {
            settings.log().accept(service.name() + ": its rules are left to the runner, the river takes its types whole: "
                    + tooMuch.getMessage());
            Map<Topic, ContentFilter> whole = new TreeMap<>();
            filters.keySet().forEach(topic -> whole.put(topic, ContentFilter.WHOLE));
            return whole;
        }
    }

    /**
     * Starts a service whose river its stack made and keeps (a deployed function): the rivers are registered
     * and a {@code ServiceStarted} says so, but nothing goes to the control plane (a deployed service may
     * not write the control stream: what it consumes is fixed by its stack). Messages come by
     * {@link #handleBatch}; the river was read before, so deadlines fire when due.
     */
    public void startDeployed() {
        startedAt = settings.clock().instant();
        caughtUp = true;
        deployed = true;
        service.start(this);
        announce(dispatcher.types());
    }

    /** The ServiceStarted event: which instance, its river, what it consumes and publishes, and whether deployed. */
    private void announce(Set<String> consumes) {
        ObjectNode started = Json.object()
                .put("service", service.name())
                .put("instanceId", instanceId)
                .put("river", river.value());
        if (deployed) {
            started.put("deployed", true);
        } else if (!settings.heartbeat().isZero()) {
            started.put("everyMs", settings.heartbeat().toMillis());
        }
        consumes.stream().sorted().forEach(started.putArray("consumes")::add);
        if (!started.has("consumes")) {
            started.putArray("consumes");
        }
        service.publishes().stream().sorted().forEach(started.withArray("publishes")::add);
        if (!started.has("publishes")) {
            started.putArray("publishes");
        }
        backend.rapids().publish(Event.builder(Topic.of(STARTED), service.name(), started).clock(settings.clock()).build());
        announced = true;
        settings.log().accept("service " + service.name() + " started (instance " + instanceId + "), river " + river
                + " consumes " + consumes + ", publishes " + service.publishes() + (deployed ? ", deployed" : ""));
    }

    /**
     * Receives once (waiting up to {@code wait}, less when a timer is due sooner) and handles what
     * came; how many. Timers wait until the service has caught up with its river once: one restarted
     * after a deadline passed first reads what arrived while it was away, then decides.
     */
    public int pollOnce(Duration wait) {
        if (caughtUp) {
            runDueTimers();
        }
        Duration until = timers.next().filter(due -> caughtUp).map(due -> Duration.between(settings.clock().instant(), due))
                .filter(d -> d.compareTo(wait) < 0).orElse(wait);
        int received = reader.readOnce(10, until.isNegative() ? Duration.ZERO : until, settings.visibility(), this::handleBatch);
        // a river that never runs dry must not hold the timers back for ever: catching up has a limit
        caughtUp |= received < 10 || Duration.between(startedAt, settings.clock().instant()).compareTo(CATCH_UP_LIMIT) > 0;
        if (caughtUp) {
            runDueTimers();
        }
        return received;
    }

    /** Handles one batch of the river's messages, however it was received; the ones handled, which may be deleted. */
    public List<Delivery> handleBatch(List<Delivery> batch) {
        return batches.handle(batch);
    }

    /**
     * Handles messages until {@link #stop()}; the message in hand is finished first. A stage that
     * cannot be reached for a moment (a locked data directory, a throttled call) is said and tried
     * again after a second, rather than ending the service.
     */
    public void run() {
        while (!stopping) {
            try {
                pollOnce(Duration.ofMillis(500));
                if (!outage.ongoing()) {
                    continue;
                }
            } catch (RuntimeException unreachable) {
                outage.began(unreachable.getMessage(), 0);
            }
            try {
                Thread.sleep(Outage.AGAIN_AFTER.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sayStopped();
    }

    public void stop() {
        stopping = true;
        heartbeat.close();
    }

    /**
     * Says {@code ServiceStopped} once, with what this instance handled, so status shows it stopped at once
     * rather than silent three heartbeats later; a stage out of reach leaves that to the silence.
     */
    private void sayStopped() {
        if (deployed || !announced || !saidStopped.compareAndSet(false, true)) {
            return;
        }
        Stats now = batches.stats();
        ObjectNode stopped = Heartbeat.said(service.name(), instanceId, startedAt, now, batches.handlerMillis())
                .put("everyMs", settings.heartbeat().toMillis());
        try {
            backend.rapids().publish(Event.builder(Topic.of(STOPPED), service.name(), stopped).clock(settings.clock()).build());
        } catch (RuntimeException unreachable) {
            settings.log().accept("service " + service.name() + " could not say it stopped (" + unreachable.getMessage()
                    + "): status shows it silent after three heartbeats");
        }
    }

    public String instanceId() {
        return instanceId;
    }

    public Stats stats() {
        return batches.stats();
    }

    @Override
    public void register(River river) {
        dispatcher.register(river);
    }

    @Override
    public void publish(Event event) {
        backend.rapids().publish(event);
    }

    @Override
    public Clock clock() {
        return settings.clock();
    }

    @Override
    public void at(Instant due, Event cause, Consumer<MessageContext> task) {
        if (deployed) {
            throw new IllegalStateException("service " + service.name() + " set a timer, but a deployed service runs only"
                    + " while messages arrive: use remind (a reminder in its own river) instead of at");
        }
        String namespace = "timer/" + due.toEpochMilli();
        timers.at(due, () -> batches.publishTogether(dispatcher.run(cause, namespace, task), () -> { }));
    }

    @Override
    public void remind(Instant due, Event cause, String kind, String key) {
        Duration delay = Duration.between(settings.clock().instant(), due);
        backend.rivers().putLater(river, Reminder.set(service.name(), kind, key, due, cause, settings.clock().instant()).toText(),
                delay.isNegative() ? Duration.ZERO : delay);
    }

    @Override
    public void onReminder(String kind, BiConsumer<String, MessageContext> handler) {
        batches.onReminder(kind, handler);
    }

    @Override
    public void close() {
        stop();
        sayStopped();
    }

    @Override
    public Pond pond() {
        if (pond == null) {
            pond = backend.pond(service.name());
        }
        return pond;
    }

    @Override
    public Optional<String> setting(String name) {
        String given = settings.values().get(name);
        if (given != null) {
            return Optional.of(given);
        }
        String fromEnvironment = System.getenv("RR_SET_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        return Optional.ofNullable(fromEnvironment).filter(v -> !v.isBlank());
    }

    private void runDueTimers() {
        try {
            timers.runDue();
        } catch (BackendUnavailable unreachable) {
            // the timer runs again a second later (Timers)
            outage.began(unreachable.getMessage(), 0);
        } catch (RuntimeException failure) {
            settings.log().accept("a timer of service " + service.name() + " failed: " + failure);
        }
    }

    /** Understands what a service has done so far. */
    public record Stats(long handled, long duplicates, long failed, long refused) {
        /** "service greeter stopped: handled 3, duplicates skipped 0, failed 0, refused by the hop limit 0". */
        public String describe(String service) {
            return "service " + service + " stopped: handled " + handled + ", duplicates skipped " + duplicates
                    + ", failed " + failed + ", refused by the hop limit " + refused;
        }
    }
}
