package org.rapidsrivers.service.monitor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.monitor.MonitorPond;
import org.rapidsrivers.core.monitor.MonitorRule;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.ControlClient;

/**
 * Understands adding and removing a stage's monitors, the one way rr monitor and rr scenario offers --monitors do
 * it: the rule checked against the types the stage knows, the monitor service's river subscribed to what the
 * rule names through the control plane (so it exists and fills before any instance runs), the rule kept in the
 * monitor service's pond, and a MonitorAdded or MonitorRemoved on the rapids, so the history says when monitors
 * changed. Bad input is one line and nothing is kept.
 */
public final class Monitors {
    private static final RiverName RIVER = RiverName.of(MonitorPond.SERVICE);
    private final Backend backend;
    private final Clock clock;
    private final Duration timeout;

    public Monitors(Backend backend, Clock clock, Duration timeout) {
        this.backend = backend;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Adds the monitor; false when the same rule was there under the name already (its river is subscribed again). */
    public boolean add(MonitorRule rule) {
        MonitorPond pond = new MonitorPond(backend.pond(MonitorPond.SERVICE));
        // refused before its river is touched; the pond's conditional write decides a race
        pond.definition(rule.name()).ifPresent(existing -> MonitorPond.requireNoOther(rule, existing));
        SortedSet<String> known = knownTypes();
        for (String type : rule.types()) {
            if (!known.contains(type)) {
                throw new InvalidInput("monitor " + rule.name() + " names " + type + ", which nothing advertises and the rapids"
                        + " have not carried: the types there are " + (known.isEmpty() ? "none yet" : String.join(", ", known))
                        + " (advertise " + type + " first if it is still to come)");
            }
        }
        List<ControlCommand> commands = new ArrayList<>();
        Set<String> consumes = new TreeSet<>(MonitorBook.ALWAYS);
        consumes.addAll(rule.types());
        consumes.forEach(type -> commands.add(ControlCommand.subscribe(RIVER, Topic.of(type), clock)));
        for (String type : List.of(MonitorPond.ADDED, MonitorPond.REMOVED, MonitorPond.BREACHED, MonitorPond.RECOVERED)) {
            commands.add(ControlCommand.advertise(Topic.of(type), clock));
        }
        apply(commands, "; nothing was kept");
        boolean added = pond.add(rule, clock.instant());
        if (added) {
            say(MonitorPond.ADDED, rule);
        }
        return added;
    }

    /** Removes the monitor, and from its river the types no other monitor names. */
    public void remove(String name) {
        MonitorPond pond = new MonitorPond(backend.pond(MonitorPond.SERVICE));
        List<MonitorPond.Definition> all = pond.definitions(line -> { });
        MonitorRule rule = all.stream().map(MonitorPond.Definition::rule).filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidInput("no monitor named '" + Printable.of(name) + "': the monitors are "
                        + (all.isEmpty() ? "none" : String.join(", ", all.stream().map(d -> d.rule().name()).toList()))));
        Set<String> stillNamed = new TreeSet<>(MonitorBook.ALWAYS);
        all.stream().map(MonitorPond.Definition::rule).filter(r -> !r.name().equals(name)).forEach(r -> stillNamed.addAll(r.types()));
        pond.remove(name);
        List<ControlCommand> commands = new ArrayList<>();
        rule.types().stream().filter(type -> !stillNamed.contains(type))
                .forEach(type -> commands.add(ControlCommand.unsubscribe(RIVER, Topic.of(type), clock)));
        apply(commands, "; the monitor is removed, and its river still takes those types");
        say(MonitorPond.REMOVED, rule);
    }

    /** What the stage knows of: the catalog's types and every type the rapids carried. */
    private SortedSet<String> knownTypes() {
        SortedSet<String> known = new TreeSet<>();
        backend.catalog().topics().forEach(topic -> known.add(topic.value()));
        backend.operations().traffic().stream().map(Traffic::type).forEach(topic -> known.add(topic.value()));
        return known;
    }

    private void apply(List<ControlCommand> commands, String otherwise) {
        if (commands.isEmpty()) {
            return;
        }
        for (ControlClient.Answer answer : ControlClient.of(backend).send(commands, timeout)) {
            if (!answer.applied()) {
                throw new InvalidInput("the monitor's river cannot follow it: " + answer.problem()
                        + (answer.unanswered() ? " (is a process hosting the planes running?)" : "") + otherwise);
            }
        }
    }

    private void say(String type, MonitorRule rule) {
        backend.rapids().publish(Event.builder(Topic.of(type), "rr", Json.object().put("monitor", rule.name()).put("rule", rule.text()))
                .clock(clock).build());
    }
}
