package org.rapidsrivers.cli.archive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.CommandFailed;
import org.rapidsrivers.cli.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.archive.ArchiveQuery;
import org.rapidsrivers.core.archive.ArchivedEvent;
import org.rapidsrivers.core.archive.PointInTime;
import org.rapidsrivers.core.archive.Trace;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Archive;
import org.rapidsrivers.core.ports.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Understands "what happened to this event": the chain it belongs to (given an eventId or a correlationId),
 * read from the archive of a window (default the last 24 hours), drawn as a tree by causation with each
 * event's time, publisher, hop and the rivers it reached.
 */
@Command(name = "trace", description = "An event's chain from the archive, as a tree", abbreviateSynopsis = true)
public final class TraceCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "<eventId|correlationId>", description = "An event's id, or a chain's correlation id.")
    String id;

    @Option(names = "--since", paramLabel = "<time|ago>", defaultValue = "24h",
            description = "How far back to look: an ISO-8601 UTC time or a duration ago (default: ${DEFAULT-VALUE}).")
    String since;

    public TraceCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (id.isBlank() || id.length() > 256) {
            throw new InvalidInput("the id must be 1-256 characters: an eventId or a correlationId");
        }
        Instant now = Instant.now();
        ArchiveQuery window = ArchiveQuery.window(PointInTime.parse(since, "--since", now), now.plusSeconds(1));
        Archive archive = session.archive();
        List<Event> chain = read(archive, window.ofChain(id));
        if (chain.isEmpty()) {
            List<Event> one = read(archive, window.ofEvent(id));
            if (one.isEmpty()) {
                throw new CommandFailed("nothing archived since " + Timestamps.format(window.since()) + " has eventId or correlationId '"
                        + Printable.of(id) + "' (a longer --since looks further back)");
            }
            chain = read(archive, window.ofChain(ArchiveQuery.chainOf(one.get(0))));
        }
        Instant first = chain.stream().map(Event::timestamp).min(Instant::compareTo).orElse(window.since());
        List<Event> changes = new ArrayList<>();
        read(archive, ArchiveQuery.window(first.isBefore(window.since()) ? first : window.since(), window.until())
                .ofTypes(List.of(Topic.of("RiverSubscribed"), Topic.of("RiverUnsubscribed")))).stream()
                .filter(Trace::isSubscriptionChange).forEach(changes::add);
        Trace trace = new Trace(chain, subscriptionsNow(session.backend()), changes);
        session.output().result(trace.text(), trace.json());
        return 0;
    }

    private static List<Event> read(Archive archive, ArchiveQuery query) {
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

    private static Map<String, Set<String>> subscriptionsNow(Backend backend) {
        Map<String, Set<String>> now = new TreeMap<>();
        for (RiverName river : backend.rivers().names()) {
            Set<String> topics = new java.util.TreeSet<>();
            backend.subscriptions().topicsOf(river).forEach(topic -> topics.add(topic.value()));
            now.put(river.value(), topics);
        }
        return now;
    }
}
