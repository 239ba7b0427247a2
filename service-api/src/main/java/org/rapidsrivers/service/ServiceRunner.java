package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.ports.Rivers;

/**
 * Understands how a service lives on a stage: at start-up its river is subscribed to exactly the
 * topics its rivers need and what it publishes is advertised (through the control plane, waiting
 * for the outcomes), and a {@code ServiceStarted} event says so; then messages are received, each
 * handed to the rivers, what they published put on the rapids, and the message deleted only after
 * all of that succeeded. A handler that throws leaves the message for redelivery (after five
 * receives, the river's dead-letter queue); a message delivered again is recognised by its eventId
 * and skipped. This is the one place where a receive, handle, delete loop is written.
 */
public final class ServiceRunner implements RapidsConnection, AutoCloseable {
    public static final String STARTED = org.rapidsrivers.core.operate.TrafficNotes.SERVICE_STARTED;
    /**
     * How long a received message stays hidden: short, since a running handler's messages are kept hidden
     * by a heartbeat every third of it, so what a killed instance held comes back within seconds.
     */
    public static final Duration VISIBILITY = Duration.ofSeconds(10);
    /** How often a running service says it is alive, by default: silence for three of these reads as stuck. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(30);
    public static final String ALIVE = org.rapidsrivers.core.operate.TrafficNotes.SERVICE_ALIVE;
    /** The longest a restarted service reads its backlog before its timers fire anyway. */
    static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);

    private final Backend backend;
    private final Service service;
    private final Settings settings;
    private final RiverName river;
    private final String instanceId = UUID.randomUUID().toString();
    private final Dispatcher dispatcher;
    private final Deduplication deduplication;
    private final Timers timers;
    private final RiverReader reader;
    private final Outage outage;
    private final java.util.Map<String, java.util.function.BiConsumer<String, MessageContext>> reminders =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService heartbeat;
    private volatile List<Delivery> inHand = List.of();
    private org.rapidsrivers.core.ports.Pond pond;
    private volatile boolean stopping;
    private boolean deployed;
    private boolean caughtUp;
    private Instant startedAt;
    private long handled;
    private long duplicates;
    private long failed;
    private volatile long handlerNanos;

    public ServiceRunner(Backend backend, Service service, Settings settings) {
        this.backend = backend;
        this.service = service;
        this.settings = settings;
        this.river = RiverName.of(service.name());
        this.dispatcher = new Dispatcher(service.name(), settings.maxHops(), settings.log(), this::pond);
        this.deduplication = new Deduplication(this::pond, settings.deduplicationWindow());
        this.timers = new Timers(settings.clock());
        this.reader = new RiverReader(backend.rivers(), river);
        this.outage = new Outage(service.name(), settings.log());
        this.startedAt = settings.clock().instant();
        this.heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "rr-heartbeat-" + service.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    public ServiceRunner(Backend backend, Service service) {
        this(backend, service, Settings.defaults());
    }

    /**
     * The one line a service's main needs ({@code ServiceRunner.run(new Greeter())}): the stage the
     * environment names ({@link org.rapidsrivers.core.stage.StageOptions#fromEnvironment()}), its planes
     * hosted here where the backend needs that (embedded, with the module {@code hosts} on the class path),
     * the service run until SIGTERM or Ctrl-C, when the message in hand is finished, what it handled is said
     * and the process ends 0. What keeps it from starting is one line on standard error, exit 1.
     */
    public static void run(Service service) {
        Backend backend = null;
        AutoCloseable planes = () -> { };
        int code;
        try {
            backend = org.rapidsrivers.core.stage.Stages.open(org.rapidsrivers.core.stage.StageOptions.fromEnvironment());
            planes = org.rapidsrivers.core.stage.PlaneHosting.where(backend);
            Settings settings = Settings.defaults();
            String beat = System.getenv("RR_HEARTBEAT");
            if (beat != null && !beat.isBlank()) {
                settings = settings.withHeartbeat(org.rapidsrivers.core.DurationText.parse(beat, "RR_HEARTBEAT",
                        Duration.ofSeconds(1), Duration.ofHours(1)));
            }
            code = runUntilStopped(backend, service, settings);
        } catch (InvalidInput | BackendUnavailable cannot) {
            System.err.println("error: " + cannot.getMessage());
            code = 1;
        } finally {
            try {
                planes.close();
            } catch (Exception stopping) {
                System.err.println("the planes hosted here did not stop cleanly: " + stopping.getMessage());
            }
            if (backend != null) {
                backend.close();
            }
        }
        System.exit(code);
    }

    /**
     * Runs the service until SIGTERM or Ctrl-C, which stop it after the message in hand; says what it
     * handled and gives the exit code (0 stopped, 1 could not run). The backend stays open: whoever opened it closes it.
     */
    public static int runUntilStopped(Backend backend, Service service, Settings settings) {
        ServiceRunner runner = new ServiceRunner(backend, service, settings);
        sun.misc.SignalHandler stop = signal -> runner.stop();
        sun.misc.SignalHandler interrupt = sun.misc.Signal.handle(new sun.misc.Signal("INT"), stop);
        sun.misc.SignalHandler terminate = sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stop);
        try {
            runner.start();
            runner.run();
            settings.log().accept(runner.stats().describe(service.name()));
            return 0;
        } catch (InvalidInput | BackendUnavailable | IllegalStateException cannot) {
            settings.log().accept("error: " + cannot.getMessage());
            return 1;
        } finally {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), interrupt);
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), terminate);
        }
    }

    /** Registers the rivers, subscribes and advertises through the control plane, and announces the service. */
    public void start() {
        startedAt = settings.clock().instant();
        long every = Math.max(100, settings.visibility().toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::keepInHandHidden, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        service.start(this);
        if (!settings.heartbeat().isZero()) {
            long alive = settings.heartbeat().toMillis();
            heartbeat.scheduleWithFixedDelay(this::sayAlive, alive, alive, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        Set<String> consumes = dispatcher.types();
        List<ControlCommand> commands = new ArrayList<>();
        consumes.forEach(type -> commands.add(ControlCommand.subscribe(river, Topic.of(type), settings.clock())));
        service.publishes().forEach(type -> commands.add(ControlCommand.advertise(Topic.of(type), settings.clock())));
        commands.add(ControlCommand.advertise(Topic.of(STARTED), settings.clock()));
        if (!settings.heartbeat().isZero()) {
            commands.add(ControlCommand.advertise(Topic.of(ALIVE), settings.clock()));
        }
        try (Outcomes.Watch watch = backend.outcomes().watch()) {
            commands.forEach(backend.controlStream()::send);
            for (ControlCommand command : commands) {
                CommandOutcome outcome = watch.await(command.commandId(), settings.startTimeout()).orElseThrow(() ->
                        new IllegalStateException("service " + service.name() + " cannot start: no answer from the control"
                                + " plane to " + command.describe() + " within " + settings.startTimeout().toSeconds()
                                + " s (is a process hosting the planes running?)"));
                if (!outcome.applied()) {
                    throw new IllegalStateException("service " + service.name() + " cannot start: " + command.describe()
                            + " was rejected: " + outcome.reason());
                }
            }
        }
        announce(consumes, false);
    }

    /** The ServiceStarted event: which instance, its river, what it consumes and publishes, and whether deployed. */
    private void announce(Set<String> consumes, boolean deployed) {
        ObjectNode started = Json.object()
                .put("service", service.name())
                .put("instanceId", instanceId)
                .put("river", river.value());
        if (deployed) {
            started.put("deployed", true);
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

    /**
     * Handles one batch of the river's messages, however it was received (by this runner's own loop, or by
     * Lambda's event source mapping for a deployed service); the ones handled, which may be deleted. Events
     * come first and reminders last, so a deadline in the same batch as a solution sees the solution.
     */
    public List<Delivery> handleBatch(List<Delivery> batch) {
        List<Delivery> ordered = new ArrayList<>(batch);
        ordered.sort(java.util.Comparator.comparing(Delivery::reminder));
        inHand = ordered;
        try {
            List<Delivery> done = new ArrayList<>(ordered.size());
            for (int i = 0; i < ordered.size(); i++) {
                if (handle(ordered.get(i), ordered.subList(i, ordered.size()))) {
                    done.add(ordered.get(i));
                }
            }
            return done;
        } finally {
            inHand = List.of();
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
        announce(dispatcher.types(), true);
    }

    /**
     * What a service consumes and publishes, learned by starting it on nothing (its rivers registered,
     * no message handled): what a deployment fixes in its stack.
     */
    public static Shape shapeOf(Service service) {
        Dispatcher rivers = new Dispatcher(service.name(), MessageContext.DEFAULT_MAX_HOPS, line -> { });
        java.util.TreeSet<String> reminders = new java.util.TreeSet<>();
        service.start(new RapidsConnection() {
            @Override public void register(River river) { rivers.register(river); }
            @Override public void publish(Event event) { }
            @Override public Clock clock() { return Clock.systemUTC(); }
            @Override public void at(Instant due, Event cause, Consumer<MessageContext> task) { }
            @Override public void remind(Instant due, Event cause, String kind, String key) { }
            @Override public void onReminder(String kind, java.util.function.BiConsumer<String, MessageContext> handler) {
                reminders.add(kind);
            }
            @Override public org.rapidsrivers.core.ports.Pond pond() { return org.rapidsrivers.core.ports.Pond.inMemory(Clock.systemUTC()); }
            @Override public Optional<String> setting(String name) { return Optional.empty(); }
        });
        return new Shape(service.name(), new java.util.TreeSet<>(rivers.types()), new java.util.TreeSet<>(service.publishes()),
                reminders);
    }

    /** Understands what a service consumes, publishes and reminds itself of: its rivers' shape. */
    public record Shape(String name, java.util.SortedSet<String> consumes, java.util.SortedSet<String> publishes,
                        java.util.SortedSet<String> reminderKinds) {
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
                return;
            }
        }
    }

    public void stop() {
        stopping = true;
        heartbeat.shutdown();
    }

    public String instanceId() {
        return instanceId;
    }

    public Stats stats() {
        return new Stats(handled, duplicates, failed, dispatcher.refused());
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
        timers.at(due, () -> publishAll(dispatcher.run(cause, namespace, task), () -> { }));
    }

    @Override
    public void remind(Instant due, Event cause, String kind, String key) {
        Duration delay = Duration.between(settings.clock().instant(), due);
        backend.rivers().putLater(river, Reminder.set(service.name(), kind, key, due, cause, settings.clock().instant()).toText(),
                delay.isNegative() ? Duration.ZERO : delay);
    }

    @Override
    public void onReminder(String kind, java.util.function.BiConsumer<String, MessageContext> handler) {
        if (reminders.putIfAbsent(kind, handler) != null) {
            throw new IllegalArgumentException("service " + service.name() + " handles reminders of kind " + kind + " twice");
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public org.rapidsrivers.core.ports.Pond pond() {
        if (pond == null) {
            pond = backend.pond(service.name());
        }
        return pond;
    }

    @Override
    public java.util.Optional<String> setting(String name) {
        String given = settings.values().get(name);
        if (given != null) {
            return java.util.Optional.of(given);
        }
        String fromEnvironment = System.getenv("RR_SET_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        return java.util.Optional.ofNullable(fromEnvironment).filter(v -> !v.isBlank());
    }

    /**
     * Handles one message; {@code held} is it and the rest of its batch, kept hidden while the stage is out
     * of reach: the message is then handled again every second, its receive count untouched, until the stage
     * answers (a full disk freed, a throttle lifted) or the service stops.
     */
    private boolean handle(Delivery delivery, List<Delivery> held) {
        Optional<Reminder> reminder;
        Event event;
        try {
            reminder = Reminder.in(delivery, service.name(), settings.clock().instant());
            event = reminder.isPresent() ? null : Event.parse(delivery.body());
        } catch (InvalidInput notAnEvent) {
            settings.log().accept("a message of river " + river + " cannot be handled (" + notAnEvent.getMessage()
                    + "); left in the river: it goes to " + river + "-dlq after " + Rivers.MAX_RECEIVES + " receives");
            return false;
        }
        if (reminder.isPresent()) {
            return remember(delivery, reminder.get(), held);
        }
        if (deduplication.seen(event.id(), delivery.replay())) {
            duplicates++;
            return true;
        }
        long began = System.nanoTime();
        boolean done = attempt(delivery, held, "event " + event.id() + " (" + event.type() + ")",
                () -> dispatcher.handle(event, delivery.replay()), () -> deduplication.handled(event.id(), delivery.replay()));
        handlerNanos += System.nanoTime() - began;
        if (!done) {
            return false;
        }
        handled++;
        return true;
    }

    /**
     * A reminder that is due runs its kind's handler; one that came early (SQS delays at most 15 minutes)
     * or before the service read the backlog a restart left it (so a deadline sees the solutions that came
     * before it) is put back for later as a new message, so waiting never counts a receive.
     */
    private boolean remember(Delivery delivery, Reminder reminder, List<Delivery> held) {
        java.util.function.BiConsumer<String, MessageContext> handler = reminders.get(reminder.kind());
        if (handler == null) {
            settings.log().accept("a reminder of kind " + reminder.kind() + " (key " + reminder.key() + ") came, but no river of"
                    + " service " + service.name() + " handles that kind any more: forgotten");
            return true;
        }
        if (deduplication.seenReminder(reminder.id())) {
            duplicates++;
            return true;
        }
        Duration early = Duration.between(settings.clock().instant(), reminder.due());
        boolean notYet = !early.isNegative() && !early.isZero();
        if (notYet || !caughtUp) {
            backend.rivers().putLater(river, reminder.toText(), notYet ? early : Outage.AGAIN_AFTER);
            return true;
        }
        return attempt(delivery, held, "reminder " + reminder.kind() + " " + reminder.key(),
                () -> dispatcher.run(reminder.cause(), reminder.namespace(), context -> handler.accept(reminder.key(), context)),
                () -> deduplication.handledReminder(reminder.id()));
    }

    /**
     * Handles, then publishes and records that it did ({@code recorded}: the de-duplication mark) together
     * ({@link Backend#together}: one transaction on the embedded backend, so a crash never leaves the events out
     * and the message unmarked); while the stage is out of reach the messages held stay hidden and it is tried
     * again every second, the receive count untouched, until the stage answers or the service stops. False
     * when it failed (the message comes back) or was given up for a stop.
     */
    private boolean attempt(Delivery delivery, List<Delivery> held, String what, java.util.function.Supplier<Dispatcher.Handled> work,
                            Runnable recorded) {
        while (true) {
            try {
                publishAll(work.get(), recorded);
                return true;
            } catch (BackendUnavailable unreachable) {
                // the stage itself is out of reach: no fault of the message or the handler
                outage.began(unreachable.getMessage(), held.size());
                if (stopping || !pause(held)) {
                    return false;
                }
            } catch (RuntimeException failure) {
                failed++;
                settings.log().accept("handling " + what + " failed, left for redelivery (receive " + delivery.receiveCount()
                        + " of " + Rivers.MAX_RECEIVES + "): " + failure);
                return false;
            }
        }
    }

    /**
     * Says the instance is alive, with what it did so far (its river's counters): operators see a silent one
     * as stuck (rr status), and the counters without asking the process. A stage out of reach skips a beat.
     */
    private void sayAlive() {
        Stats now = stats();
        ObjectNode alive = Json.object()
                .put("service", service.name())
                .put("instanceId", instanceId)
                .put("river", river.value())
                .put("everyMs", settings.heartbeat().toMillis())
                .put("handled", now.handled())
                .put("failed", now.failed())
                .put("duplicates", now.duplicates())
                .put("handlerMs", handlerNanos / 1_000_000);
        try {
            backend.rapids().publish(Event.builder(Topic.of(ALIVE), service.name(), alive).clock(settings.clock()).build());
        } catch (RuntimeException unreachable) {
            // the next beat tries again; the handlers meet the same trouble and say so
        }
    }

    /** The heartbeat: messages a handler still works on stay hidden, however long it takes. */
    private void keepInHandHidden() {
        List<Delivery> held = inHand;
        if (!held.isEmpty()) {
            try {
                backend.rivers().changeVisibility(river, held, settings.visibility());
            } catch (RuntimeException unreachable) {
                // the handler meets the same trouble and says so; they may come back to another reader
            }
        }
    }

    /** Waits a second and keeps what is held hidden meanwhile; false when interrupted. */
    private boolean pause(List<Delivery> held) {
        try {
            Thread.sleep(Outage.AGAIN_AFTER.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            backend.rivers().changeVisibility(river, held, settings.visibility());
        } catch (RuntimeException stillUnreachable) {
            // they may come back to another reader meanwhile: handled again there, under the same ids
        }
        return true;
    }

    private void publishAll(Dispatcher.Handled handled, Runnable recorded) {
        backend.together(() -> {
            if (!handled.events().isEmpty()) {
                backend.rapids().publishAll(handled.events());
            }
            recorded.run();
            return null;
        });
        if (!handled.events().isEmpty()) {
            outage.over();
        }
        handled.published();
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

    /** Understands the knobs of a running service, and the settings it reads by name (its own knobs). */
    public record Settings(Clock clock, int maxHops, Duration deduplicationWindow, Duration startTimeout,
                           Duration visibility, Consumer<String> log, java.util.Map<String, String> values, Duration heartbeat) {
        public Settings {
            values = java.util.Map.copyOf(values);
        }

        public static Settings defaults() {
            return new Settings(Clock.systemUTC(), MessageContext.DEFAULT_MAX_HOPS, Deduplication.DEFAULT_WINDOW,
                    Duration.ofSeconds(30), VISIBILITY, message -> System.err.println(message), java.util.Map.of(), HEARTBEAT);
        }

        public Settings withLog(Consumer<String> newLog) {
            return new Settings(clock, maxHops, deduplicationWindow, startTimeout, visibility, newLog, values, heartbeat);
        }

        public Settings withMaxHops(int hops) {
            return new Settings(clock, hops, deduplicationWindow, startTimeout, visibility, log, values, heartbeat);
        }

        /** How long a message in hand stays hidden from other readers: a failed one comes back after it. */
        public Settings withVisibility(Duration hidden) {
            return new Settings(clock, maxHops, deduplicationWindow, startTimeout, hidden, log, values, heartbeat);
        }

        /** The service's own settings by name (RapidsConnection.setting), before the environment's. */
        public Settings withValues(java.util.Map<String, String> given) {
            return new Settings(clock, maxHops, deduplicationWindow, startTimeout, visibility, log, given, heartbeat);
        }

        /** How often a running service says it is alive (ServiceAlive on the rapids); zero for never. */
        public Settings withHeartbeat(Duration every) {
            if (every.isNegative() || (!every.isZero() && every.compareTo(Duration.ofSeconds(1)) < 0)) {
                throw new InvalidInput("a heartbeat must be 1s or more, or 0 for none; got " + every.toMillis() + " ms");
            }
            return new Settings(clock, maxHops, deduplicationWindow, startTimeout, visibility, log, values, every);
        }
    }
}
