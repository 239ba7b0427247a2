package org.rapidsrivers.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands how one event is handed to a service's rivers, and what the service publishes in
 * return: collected while the handlers run and given back only when all of them succeeded, so a
 * handler that throws publishes nothing and the event can be handled again from scratch.
 * Both the real runner and TestRapids hand events over through it.
 */
public final class Dispatcher {
    private final String service;
    private final int maxHops;
    private final Consumer<String> log;
    private final DerivedIds ids;
    private final List<River> rivers = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private int refused;

    /** Its events' ids keyed by the service's pond ({@link DerivedIds}): the same on every instance. */
    public Dispatcher(String service, int maxHops, Consumer<String> log, Supplier<Pond> pond) {
        this.service = service;
        this.maxHops = maxHops;
        this.log = log;
        this.ids = new DerivedIds(pond);
    }

    /** With a key of its own, in memory: for a dispatcher whose events nobody else must derive alike. */
    public Dispatcher(String service, int maxHops, Consumer<String> log) {
        this(service, maxHops, log, new Supplier<>() {
            private final Pond own = Pond.inMemory(Clock.systemUTC());

            @Override
            public Pond get() {
                return own;
            }
        });
    }

    /** The clock that stamps what the handlers publish (TestRapids' own, the runner's settings'). */
    public Dispatcher clock(Clock stamps) {
        this.clock = stamps;
        return this;
    }

    public void register(River river) {
        rivers.add(river);
    }

    /** Every event type the service's rivers need: what its river subscribes to. */
    public Set<String> types() {
        Set<String> types = new LinkedHashSet<>();
        rivers.forEach(river -> types.addAll(river.types()));
        return types;
    }

    /**
     * What the service's river wants of each type it needs: the filter of the one river needing it, or of its
     * rivers when they all say the same; the whole type when any needs it whole or they differ (a filter of
     * several rivers would need one branch each).
     */
    public Map<String, ContentFilter> filters() {
        Map<String, ContentFilter> filters = new TreeMap<>();
        for (String type : types()) {
            Set<ContentFilter> wanted = new HashSet<>();
            rivers.stream().filter(river -> river.types().contains(type)).forEach(river -> wanted.add(river.filter()));
            filters.put(type, wanted.size() == 1 ? wanted.iterator().next() : ContentFilter.WHOLE);
        }
        return filters;
    }

    /** Hands the event to every river; what to publish, or what a handler threw. */
    public Handled handle(Event event) {
        return handle(event, 0);
    }

    /**
     * The same for an event a replay sent again ({@code replay}: its generation, 0 for a live event): what
     * the handlers publish then has ids derived from the cause and the generation, new to every service.
     */
    public Handled handle(Event event, long replay) {
        Collected collected = new Collected();
        MessageContext context = new MessageContext(event, service, replay == 0 ? "handle" : "handle/replay-" + replay,
                collected, maxHops, ids, clock);
        Packet packet = new Packet(event, Set.of(), replay);
        for (River river : rivers) {
            river.handle(packet, context);
        }
        return collected.handled();
    }

    /** Runs a timer's task with a context caused by {@code cause}; what it published. */
    public Handled run(Event cause, String namespace, Consumer<MessageContext> task) {
        Collected collected = new Collected();
        task.accept(new MessageContext(cause, service, namespace, collected, maxHops, ids, clock));
        return collected.handled();
    }

    /**
     * Understands what one handling produced: the events to publish, and what to do once they are
     * published. The caller publishes, then calls {@link #published()}.
     */
    public record Handled(List<Event> events, List<Runnable> afterwards) {
        public void published() {
            afterwards.forEach(Runnable::run);
        }
    }

    /** Events the hop limit kept from being published. */
    public int refused() {
        return refused;
    }

    /** Understands the events of one handling, kept until it has succeeded. */
    private final class Collected implements MessageContext.Publisher {
        private final List<Event> events = new ArrayList<>();
        private final List<Runnable> afterwards = new ArrayList<>();

        Handled handled() {
            return new Handled(List.copyOf(events), List.copyOf(afterwards));
        }

        @Override
        public void afterPublished(Runnable action) {
            afterwards.add(action);
        }

        @Override
        public void publish(Event event) {
            events.add(event);
        }

        @Override
        public void refused(Event event, String reason) {
            refused++;
            log.accept("refused to publish " + event.type() + " caused by " + event.causationId().orElse("?")
                    + " in chain " + event.correlationId().orElse("?") + ": " + reason);
        }
    }
}
