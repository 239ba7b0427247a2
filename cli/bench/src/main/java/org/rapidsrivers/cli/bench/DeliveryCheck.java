package org.rapidsrivers.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands whether a stage's rivers receive exactly their events, end to end: one marked event of each type
 * the rivers want goes onto the rapids (the planes this process hosts route it), then each of a sample of rivers
 * spread over the whole stage (so over every topic it has) is read until its event came, and a second longer: each
 * must hold its one marked event of its own type, and no other. What it found, in one line; null when all is well.
 */
final class DeliveryCheck {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration AFTER = Duration.ofSeconds(1);

    private DeliveryCheck() {
    }

    /** The type river {@code i} of {@code rivers} wants: seven types in blocks, so each topic holds a few. */
    static Topic typeOf(int i, int rivers) {
        return Topic.of("Status" + (int) ((long) i * 7 / rivers));
    }

    static String run(Backend backend, int rivers, int sample, CallCounter calls, StringBuilder said) {
        String mark = UUID.randomUUID().toString();
        SortedSet<Topic> types = new TreeSet<>();
        for (int i = 0; i < rivers; i++) {
            types.add(typeOf(i, rivers));
        }
        Map<String, Long> before = calls.snapshot();
        List<Event> events = new ArrayList<>();
        types.forEach(type -> events.add(Event.builder(type, "bench", Json.object().put("check", mark)).build()));
        backend.rapids().publishAll(events);
        Map<RiverName, Topic> sampled = new LinkedHashMap<>();
        for (int k = 0; k < sample; k++) {
            int i = (int) ((long) k * rivers / sample);
            sampled.put(StatusBench.river(i), typeOf(i, rivers));
        }
        Map<RiverName, List<String>> marked = new LinkedHashMap<>();
        sampled.keySet().forEach(river -> marked.put(river, new ArrayList<>()));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (marked.values().stream().anyMatch(List::isEmpty) && System.nanoTime() < deadline) {
            boolean any = false;
            for (Map.Entry<RiverName, List<String>> river : marked.entrySet()) {
                if (river.getValue().isEmpty()) {
                    any |= read(backend, river.getKey(), mark, river.getValue());
                }
            }
            if (!any) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        // a second more for what should not come: a second copy, another type
        LockSupport.parkNanos(AFTER.toNanos());
        marked.forEach((river, found) -> read(backend, river, mark, found));
        for (Map.Entry<RiverName, Topic> river : sampled.entrySet()) {
            List<String> found = marked.get(river.getKey());
            if (!found.equals(List.of(river.getValue().value()))) {
                return "river " + river.getKey() + " received " + found + " of the marked events; it wants exactly one "
                        + river.getValue();
            }
        }
        int checked = sampled.size();
        Map<String, Long> made = CallCounter.difference(calls.snapshot(), before);
        said.append(events.size()).append(" events, one of each type, reached ").append(checked).append(" of ")
                .append(rivers).append(" rivers sampled across the stage, each exactly its own; publishing took ")
                .append(made.getOrDefault("sns.PublishBatch", 0L)).append(" PublishBatch call(s)");
        return null;
    }

    /** Reads what the river holds now, adding the types of the marked events; whether it held anything. */
    private static boolean read(Backend backend, RiverName river, String mark, List<String> found) {
        boolean any = false;
        List<Delivery> deliveries;
        do {
            deliveries = backend.rivers().receive(river, 10, Duration.ZERO, Duration.ofSeconds(30));
            for (Delivery delivery : deliveries) {
                Event event = Event.parse(delivery.body());
                if (mark.equals(event.payload().path("check").asText())) {
                    found.add(event.type().value());
                }
            }
            if (!deliveries.isEmpty()) {
                backend.rivers().delete(river, deliveries);
                any = true;
            }
        } while (!deliveries.isEmpty());
        return any;
    }
}
