package org.rapidsrivers.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands what a service consumes, publishes and reminds itself of, and whether it sets a timer as it starts
 * (which a function, running only while messages arrive, cannot run), and what of each type its river wants: its
 * rivers' shape, what a deployment fixes.
 */
public record ServiceShape(String name, SortedSet<String> consumes, SortedSet<String> publishes, SortedSet<String> reminderKinds,
                           boolean timers, SortedMap<String, ContentFilter> filters) {
    /** What its river wants of each type it consumes, as its rules say ({@link Dispatcher#filters}). */
    public ServiceShape {
        filters = Collections.unmodifiableSortedMap(new TreeMap<>(filters));
    }

    /** Learned by starting the service on nothing: its rivers registered, no message handled, nothing published. */
    public static ServiceShape of(Service service) {
        Dispatcher rivers = new Dispatcher(service.name(), MessageContext.DEFAULT_MAX_HOPS, line -> { });
        TreeSet<String> reminders = new TreeSet<>();
        AtomicBoolean timers = new AtomicBoolean();
        service.start(new RapidsConnection() {
            @Override public void register(River river) { rivers.register(river); }
            @Override public void publish(Event event) { }
            @Override public Clock clock() { return Clock.systemUTC(); }
            @Override public void at(Instant due, Event cause, Consumer<MessageContext> task) { timers.set(true); }
            @Override public void remind(Instant due, Event cause, String kind, String key) { }
            @Override public void onReminder(String kind, BiConsumer<String, MessageContext> handler) { reminders.add(kind); }
            @Override public Pond pond() { return Pond.inMemory(Clock.systemUTC()); }
            @Override public Optional<String> setting(String name) { return Optional.empty(); }
        });
        return new ServiceShape(service.name(), new TreeSet<>(rivers.types()), new TreeSet<>(service.publishes()), reminders,
                timers.get(), new TreeMap<>(rivers.filters()));
    }
}
