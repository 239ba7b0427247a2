package org.rapidsrivers.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.RouteResult;
import org.rapidsrivers.core.plane.Router;
import org.rapidsrivers.core.ports.DeadLetterNote;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Subscriptions;

/**
 * Understands rivers, their subscriptions and routing in memory: a fake of core's ports for unit
 * tests of the planes. No visibility timeout; receive hands out everything and delete forgets it.
 */
public final class InMemoryRivers implements Rivers, Subscriptions, Router {
    private final Map<RiverName, SortedSet<Topic>> topics = new TreeMap<>();
    private final Map<RiverName, List<String>> queues = new TreeMap<>();
    private final Map<RiverName, String> madeElsewhere = new TreeMap<>();
    private int infrastructureFailuresToInject;
    private int routeFailureAt = -1;

    @Override
    public synchronized void create(RiverName river) {
        failIfInjected();
        topics.computeIfAbsent(river, r -> new TreeSet<>());
        queues.computeIfAbsent(river, r -> new ArrayList<>());
    }

    @Override
    public synchronized boolean exists(RiverName river) {
        return topics.containsKey(river);
    }

    /** A river someone else made (a deployed service's stack): the control plane must leave it alone. */
    public synchronized void madeBy(RiverName river, String owner) {
        create(river);
        madeElsewhere.put(river, owner);
    }

    @Override
    public synchronized Optional<String> madeElsewhere(RiverName river) {
        return Optional.ofNullable(madeElsewhere.get(river));
    }

    @Override
    public synchronized List<RiverName> names() {
        return List.copyOf(topics.keySet());
    }

    @Override
    public synchronized List<Delivery> receive(RiverName river, int max, Duration wait, Duration visibility) {
        List<String> queue = queues.getOrDefault(river, List.of());
        List<Delivery> out = new ArrayList<>();
        for (int i = 0; i < Math.min(max, queue.size()); i++) {
            out.add(new Delivery(Integer.toString(i), queue.get(i), 1));
        }
        return out;
    }

    @Override
    public synchronized int depth(RiverName river) {
        return queues.getOrDefault(river, List.of()).size();
    }

    @Override
    public synchronized void delete(RiverName river, List<Delivery> deliveries) {
        queues.get(river).subList(0, deliveries.size()).clear();
    }

    /** No time here: what is put for later is there at once. */
    @Override
    public synchronized void putLater(RiverName river, String body, Duration delay) {
        queues.get(river).add(body);
    }

    @Override
    public synchronized void delete(RiverName river) {
        queues.remove(river);
        topics.remove(river);
        deadLetters.remove(river);
    }

    @Override
    public synchronized long purge(RiverName river) {
        List<String> queue = queues.getOrDefault(river, new ArrayList<>());
        long held = queue.size();
        queue.clear();
        return held;
    }

    /** What was dead-lettered, per river, with its note. */
    private final Map<RiverName, List<String>> deadLetters = new TreeMap<>();

    @Override
    public synchronized boolean deadLetter(RiverName river, Delivery delivery, DeadLetterNote note) {
        List<String> queue = queues.get(river);
        if (queue == null || !queue.remove(delivery.body())) {
            return false;
        }
        deadLetters.computeIfAbsent(river, r -> new ArrayList<>()).add(note.toJson());
        return true;
    }

    /** The notes of what the river dead-lettered. */
    public synchronized List<String> deadLettered(RiverName river) {
        return List.copyOf(deadLetters.getOrDefault(river, List.of()));
    }

    /** No visibility here: everything is always there to receive. */
    @Override
    public synchronized void changeVisibility(RiverName river, List<Delivery> deliveries, Duration visibility) {
        // nothing is ever hidden
    }

    @Override
    public synchronized SortedSet<Topic> topicsOf(RiverName river) {
        return new TreeSet<>(topics.getOrDefault(river, new TreeSet<>()));
    }

    @Override
    public synchronized RiverPolicy policyOf(RiverName river) {
        Map<Topic, ContentFilter> whole = new TreeMap<>();
        topicsOf(river).forEach(topic -> whole.put(topic, ContentFilter.WHOLE));
        return new RiverPolicy(whole);
    }

    /** Routes by type only: a content filter needs a backend's matcher. */
    @Override
    public synchronized void subscribe(RiverName river, Topic topic, ContentFilter filter) {
        if (!filter.isWhole()) {
            throw new UnsupportedOperationException("in-memory rivers route by type only");
        }
        subscribe(river, topic);
    }

    @Override
    public synchronized void subscribe(RiverName river, Topic topic) {
        failIfInjected();
        topics.get(river).add(topic);
    }

    @Override
    public synchronized void unsubscribe(RiverName river, Topic topic) {
        failIfInjected();
        topics.get(river).remove(topic);
    }

    private Predicate<Event> failWhen;

    @Override
    public synchronized RouteResult route(List<EventRecord> events) {
        for (int i = 0; i < events.size(); i++) {
            if (i == routeFailureAt || failWhen != null && failWhen.test(events.get(i).event())) {
                routeFailureAt = -1;
                failWhen = null;
                return RouteResult.failedAt(i, "injected routing failure");
            }
            Event event = events.get(i).event();
            topics.forEach((river, wanted) -> {
                if (wanted.contains(event.type())) {
                    queues.get(river).add(event.toJson());
                }
            });
        }
        return RouteResult.delivered();
    }

    /** The next calls that change rivers or subscriptions throw, as an unreachable AWS would. */
    public synchronized void failNextChanges(int times) {
        infrastructureFailuresToInject = times;
    }

    /** The next routing attempt stops at the event with this index in its batch. */
    public synchronized void failRoutingAt(int index) {
        routeFailureAt = index;
    }

    /** The next routing of an event that matches fails there, once. */
    public synchronized void failRoutingOf(Predicate<Event> event) {
        failWhen = event;
    }

    public synchronized List<String> messagesIn(RiverName river) {
        return List.copyOf(queues.getOrDefault(river, List.of()));
    }

    private void failIfInjected() {
        if (infrastructureFailuresToInject > 0) {
            infrastructureFailuresToInject--;
            throw new IllegalStateException("rivers unavailable (injected)");
        }
    }
}
