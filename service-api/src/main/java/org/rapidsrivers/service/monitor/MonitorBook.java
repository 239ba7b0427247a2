package org.rapidsrivers.service.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.rapidsrivers.core.monitor.MonitorPond;

/**
 * Understands the monitors as one instance of the monitor service knows them: read from the pond, read again
 * at most every {@code fresh} and at once when a MonitorAdded or MonitorRemoved comes (another instance may
 * have received it, so the age alone also refreshes).
 */
final class MonitorBook {
    static final Set<String> ALWAYS = Set.of(MonitorPond.ADDED, MonitorPond.REMOVED);

    private final MonitorPond pond;
    private final Clock clock;
    private final Duration fresh;
    private final Consumer<String> log;
    private List<MonitorPond.Definition> definitions = List.of();
    private Set<String> types = ALWAYS;
    private Instant readAt = Instant.MIN;

    MonitorBook(MonitorPond pond, Clock clock, Duration fresh, Consumer<String> log) {
        this.pond = pond;
        this.clock = clock;
        this.fresh = fresh;
        this.log = log;
    }

    synchronized List<MonitorPond.Definition> definitions() {
        Instant now = clock.instant();
        if (readAt.plus(fresh).isBefore(now) || readAt.isAfter(now)) {
            refresh();
        }
        return definitions;
    }

    synchronized void refresh() {
        definitions = List.copyOf(pond.definitions(log));
        Set<String> named = new LinkedHashSet<>(ALWAYS);
        definitions.forEach(definition -> named.addAll(definition.rule().types()));
        types = Set.copyOf(named);
        readAt = clock.instant();
    }

    /**
     * What the service's river takes: the types its monitors name, and the news of monitors added or removed
     * (asked for every event: made when the monitors are read, not on each asking).
     */
    synchronized Set<String> types() {
        definitions();
        return types;
    }
}
