package org.rapidsrivers.offers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.monitor.MonitorPond;
import org.rapidsrivers.core.monitor.MonitorRule;
import org.rapidsrivers.core.monitor.MonitorState;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.stage.ControlClient;
import org.rapidsrivers.service.Scenario;
import org.rapidsrivers.service.monitor.Monitors;

/**
 * Understands the offers scenario's own monitors, its acceptance test kept running on the stage: every page view
 * gets its bundle within the engine's window plus a second, and a RoadWarrior's bundle holds a road-warrior
 * offer, each for 99% of chains over ten minutes. Installed by {@code rr scenario offers --monitors} (one that
 * exists under a name is kept as it is); at the end of the run the scenario waits until the monitor service
 * has judged the last page view and says how each stands.
 */
final class ScenarioMonitors {
    private static final Duration JUDGED_WITHIN = Duration.ofSeconds(20);

    private ScenarioMonitors() {
    }

    /** The scenario's monitors for an engine collecting for {@code window}, as rr monitor add would take them. */
    static List<MonitorRule> rules(Duration window) {
        String within = (window.toMillis() + 1_000) + "ms";
        return List.of(
                MonitorRule.parse("bundles --when " + Offers.VIEW_PAGE + " --expect " + Offers.BUNDLE + " --within " + within
                        + " --at-least 99% --over 10m"),
                MonitorRule.parse("road-warrior --when " + Offers.SEGMENT + " --where segment=" + Offers.ROAD_WARRIOR
                        + " --expect " + Offers.BUNDLE + " --expect-where offers[].offer=" + Offers.ROAD_WARRIOR_OFFER
                        + " --within " + within + " --at-least 99% --over 10m"));
    }

    static List<MonitorRule> install(Scenario.Run run, Duration window) {
        MonitorPond pond = new MonitorPond(run.backend().pond(MonitorPond.SERVICE));
        Monitors monitors = new Monitors(run.backend(), Clock.systemUTC(), Duration.ofSeconds(30));
        List<MonitorRule> installed = new ArrayList<>();
        // the types the scenario sends and its services publish are known before they flow (a fresh stage)
        List<ControlCommand> advertise = List.of(Offers.VIEW_PAGE, Offers.SEGMENT, Offers.BUNDLE).stream()
                .map(type -> ControlCommand.advertise(Topic.of(type), Clock.systemUTC())).toList();
        for (ControlClient.Answer answer : ControlClient.of(run.backend()).send(advertise, Duration.ofSeconds(30))) {
            if (!answer.applied()) {
                throw new Scenario.Failed("cannot install the scenario's monitors: " + answer.problem());
            }
        }
        for (MonitorRule rule : rules(window)) {
            Optional<MonitorPond.Definition> existing = pond.definition(rule.name());
            if (existing.isPresent() && !existing.get().rule().text().equals(rule.text())) {
                run.notices().accept("keeps monitor " + rule.name() + " as it is: " + existing.get().rule().text());
                installed.add(existing.get().rule());
                continue;
            }
            if (monitors.add(rule)) {
                run.out().accept("added monitor " + rule.name() + " " + rule.text());
            }
            installed.add(rule);
        }
        return installed;
    }

    /**
     * Waits until each monitor was judged past the last page view's deadline, then says how each stands; false
     * when one is breached (or was never judged).
     */
    static boolean report(Scenario.Run run, List<MonitorRule> rules, Instant lastView) {
        MonitorPond pond = new MonitorPond(run.backend().pond(MonitorPond.SERVICE));
        boolean held = true;
        for (MonitorRule rule : rules) {
            Instant judged = lastView.plus(rule.within()).plusSeconds(1);
            long deadline = System.nanoTime() + rule.within().plus(JUDGED_WITHIN).toNanos();
            Optional<MonitorState> state = pond.state(rule.name());
            while (state.map(s -> s.evaluatedAt().isBefore(judged)).orElse(true) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000_000L);
                state = pond.state(rule.name());
            }
            if (state.isEmpty() || state.get().evaluatedAt().isBefore(judged)) {
                run.out().accept("monitor " + rule.name() + ": not judged up to the last page view (is rr service monitor running?)");
                held = false;
                continue;
            }
            MonitorState now = state.get();
            run.out().accept("monitor " + rule.name() + ": " + now.status().word() + ", "
                    + now.measure() + (now.breached() ? "; a failing chain: rr trace " + now.examples().stream().findFirst()
                    .orElse("?") : ""));
            held &= !now.breached();
        }
        return held;
    }
}
