package org.rapidsrivers.service.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.rapidsrivers.core.DurationText;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.monitor.MonitorPond;
import org.rapidsrivers.core.monitor.MonitorRule;
import org.rapidsrivers.core.monitor.MonitorState;
import org.rapidsrivers.core.monitor.Verdict;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Visibility;
import org.rapidsrivers.service.MessageContext;
import org.rapidsrivers.service.Packet;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/**
 * Understands the stage's monitors as a service like any other: its river takes the types they name, each
 * event it reads is noted in its pond under the monitors it concerns (a chain's start and answer by
 * correlationId, an event a rate or an absence counts), and every {@code interval} (a setting, 1 s) once it
 * has read its river up to date it judges each monitor's window ({@link Verdict}); after it starts, not before
 * one visibility has passed (setting {@code hold}), so what a killed instance held is back and read. A change of health is
 * made in the pond conditionally, so of several instances one says it: {@code MonitorBreached} with the
 * ratio, the sample and a few failing chains, {@code MonitorRecovered} when the rule holds again. Every
 * change, and each monitor once a minute, is written as a CloudWatch embedded-metric line (setting
 * {@code metrics=off} to stop them).
 */
public final class MonitorService implements Service {
    static final Duration METRICS_EVERY = Duration.ofMinutes(1);
    private final Consumer<String> metrics;
    private RapidsConnection rapids;
    private MonitorPond pond;
    private MonitorBook book;
    private Duration interval;
    private Duration lateness;
    private boolean metricsOn;
    private Instant heldUntil = Instant.MIN;
    private final Map<String, Instant> metricsAt = new HashMap<>();

    /** What the service catalog makes: metrics to standard output, where Lambda and CloudWatch's agent read them. */
    public MonitorService() {
        this(System.out::println);
    }

    /** With the embedded-metric lines going to {@code metrics} (a test's list). */
    public MonitorService(Consumer<String> metrics) {
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return MonitorPond.SERVICE;
    }

    @Override
    public Set<String> publishes() {
        return Set.of(MonitorPond.BREACHED, MonitorPond.RECOVERED);
    }

    @Override
    public void start(RapidsConnection connection) {
        this.rapids = connection;
        this.interval = connection.setting("interval")
                .map(text -> DurationText.parse(text, "setting interval", Duration.ofMillis(50), Duration.ofMinutes(1)))
                .orElse(Duration.ofSeconds(1));
        this.lateness = connection.setting("lateness")
                .map(text -> DurationText.parse(text, "setting lateness", Duration.ZERO, Duration.ofMinutes(10)))
                .orElse(Duration.ofMillis(500));
        this.metricsOn = !connection.setting("metrics").map("off"::equals).orElse(false);
        // what an instance killed a moment ago held comes back within one visibility: judged before, its chains
        // would fail for want of answers still hidden (setting hold; the runner's visibility, 10 s, by default)
        Duration hold = connection.setting("hold")
                .map(text -> DurationText.parse(text, "setting hold", Duration.ZERO, Duration.ofHours(12)))
                .orElse(Visibility.SERVICE);
        this.heldUntil = connection.clock().instant().plus(hold);
        this.pond = new MonitorPond(connection.pond());
        this.book = new MonitorBook(pond, connection.clock(), interval, line -> { });
        River.on(connection)
                .precondition(rules -> rules.requireTypeIn(book::types))
                .register((packet, context) -> observe(packet));
        schedule();
    }

    /** Notes the event under every monitor it concerns. */
    private void observe(Packet packet) {
        if (MonitorBook.ALWAYS.contains(packet.type())) {
            book.refresh();
            return;
        }
        Event event = packet.event();
        JsonNode payload = event.payload();
        for (MonitorPond.Definition definition : book.definitions()) {
            MonitorRule rule = definition.rule();
            if (rule.when().value().equals(packet.type()) && rule.whenWhere().stream().allMatch(c -> c.test(payload))) {
                if (rule.kind() == MonitorRule.Kind.FOLLOW_UP) {
                    pond.started(rule, packet.correlationId(), packet.timestamp());
                } else {
                    pond.seen(rule, packet.id(), packet.timestamp());
                }
            }
            if (rule.kind() == MonitorRule.Kind.FOLLOW_UP && rule.expect().value().equals(packet.type())
                    && rule.expectWhere().stream().allMatch(c -> c.test(payload))) {
                pond.met(rule, packet.correlationId(), packet.timestamp());
            }
        }
    }

    private void schedule() {
        Instant due = rapids.clock().instant().plus(interval);
        Event tick = Event.builder(Topic.of("MonitorTick"), name(), Json.object()).clock(rapids.clock()).build();
        rapids.at(due, tick, context -> {
            try {
                evaluate(context);
            } finally {
                schedule();
            }
        });
    }

    /** Judges every monitor now; what changed health is said by the instance whose change the pond kept. */
    void evaluate(MessageContext context) {
        Instant now = rapids.clock().instant();
        if (now.isBefore(heldUntil)) {
            return;
        }
        for (MonitorPond.Definition definition : book.definitions()) {
            MonitorRule rule = definition.rule();
            Optional<MonitorState> before = pond.state(rule.name());
            Verdict verdict = rule.kind() == MonitorRule.Kind.FOLLOW_UP
                    ? Verdict.followUp(rule, pond.started(rule.name()), pond.met(rule.name()), now, lateness)
                    : Verdict.counted(rule, pond.seen(rule.name()), now, lateness, definition.addedAt());
            MonitorState after = MonitorState.after(rule.name(), before.orElse(null), verdict, now);
            if (!pond.replaceState(rule.name(), before, after)) {
                continue;
            }
            boolean wasBreached = before.map(MonitorState::breached).orElse(false);
            if (after.breached() && !wasBreached) {
                context.publish(MonitorPond.BREACHED, said(rule, after));
            } else if (wasBreached && after.status() == Verdict.Status.HEALTHY) {
                context.publish(MonitorPond.RECOVERED, said(rule, after).put("breachedSince", before.get().since().toString()));
            }
            boolean changed = after.breached() != wasBreached;
            Instant last = metricsAt.get(rule.name());
            if (metricsOn && (changed || last == null || !last.plus(METRICS_EVERY).isAfter(now))) {
                metricsAt.put(rule.name(), now);
                metrics.accept(EmbeddedMetrics.line(rule.name(), after, now));
            }
        }
    }

    private static ObjectNode said(MonitorRule rule, MonitorState state) {
        ObjectNode payload = Json.object()
                .put("monitor", rule.name())
                .put("rule", rule.text())
                .put("ratio", state.ratio())
                .put("sample", state.sample())
                .put("measure", state.measure());
        state.examples().forEach(payload.putArray("examples")::add);
        if (!payload.has("examples")) {
            payload.putArray("examples");
        }
        return payload;
    }
}
