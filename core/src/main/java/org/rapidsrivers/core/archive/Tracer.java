package org.rapidsrivers.core.archive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.ports.OutcomeLedger;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Subscriptions;

/**
 * Understands how a trace is found, the same on every backend: the chain of the id (a correlationId, or
 * an eventId whose chain it then reads) within the window, today's subscriptions, and the subscription
 * changes the control plane's ledger holds since the chain began. It reads the window's events of that
 * chain only (an index embedded; the window's objects on AWS).
 */
public final class Tracer {
    private final Archive archive;
    private final Rivers rivers;
    private final Subscriptions subscriptions;
    private final OutcomeLedger ledger;

    public Tracer(Archive archive, Rivers rivers, Subscriptions subscriptions, OutcomeLedger ledger) {
        this.archive = archive;
        this.rivers = rivers;
        this.subscriptions = subscriptions;
        this.ledger = ledger;
    }

    /** The trace of the id within [since, until), or empty when nothing of the window has it. */
    public Optional<Trace> trace(String id, Instant since, Instant until) {
        ArchiveQuery window = ArchiveQuery.window(since, until);
        List<Event> chain = read(window.ofChain(id));
        if (chain.isEmpty()) {
            List<Event> one = read(window.ofEvent(id));
            if (one.isEmpty()) {
                return Optional.empty();
            }
            chain = read(window.ofChain(ArchiveQuery.chainOf(one.get(0))));
        }
        Instant first = chain.stream().map(Event::timestamp).min(Instant::compareTo).orElse(since);
        Instant from = first.isBefore(since) ? first : since;
        return Optional.of(new Trace(chain, subscriptionsNow(), ledger.subscriptionChangesSince(from)));
    }

    private List<Event> read(ArchiveQuery query) {
        List<Event> events = new ArrayList<>();
        try (Archive.Cursor cursor = archive.open(query, "")) {
            while (cursor.hasNext()) {
                ArchivedEvent archived = cursor.next();
                try {
                    events.add(archived.event());
                } catch (RuntimeException unreadable) {
                    // an archive keeps whatever reached the rapids; a trace shows events
                }
            }
        }
        return events;
    }

    private Map<String, Set<String>> subscriptionsNow() {
        Map<String, Set<String>> now = new TreeMap<>();
        for (RiverName river : rivers.names()) {
            Set<String> topics = new TreeSet<>();
            subscriptions.topicsOf(river).forEach(topic -> topics.add(topic.value()));
            now.put(river.value(), topics);
        }
        return now;
    }
}
