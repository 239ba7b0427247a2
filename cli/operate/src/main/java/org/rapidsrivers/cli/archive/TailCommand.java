package org.rapidsrivers.cli.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Candidates;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.archive.ArchiveQuery;
import org.rapidsrivers.core.archive.PointInTime;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.RapidsTail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Understands "what went by lately", to pick an event to trace: the last events of a window from the archive
 * (of some types when asked), oldest first, one line each (time, type, id, domain, the payload's first
 * bytes); with {@code --follow}, then the ones reaching the rapids, until stopped. A record that is no event
 * is counted, not shown.
 */
@Command(name = "tail", description = "Recent events from the archive, one line each", abbreviateSynopsis = true)
public final class TailCommand implements Callable<Integer> {
    private static final int MOST = 10_000;
    private final Session session;

    @Option(names = "--type", paramLabel = "<type>", description = "Only events of this type (repeat for more).",
            completionCandidates = Candidates.Topics.class)
    List<String> types = new ArrayList<>();

    @Option(names = "--since", paramLabel = "<time|ago>", defaultValue = "10m",
            description = "How far back to look: an ISO-8601 UTC time or a duration ago (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "-n", paramLabel = "<count>", defaultValue = "20",
            description = "How many of the newest to show, 1-" + MOST + " (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--follow", description = "Then show each event as it reaches the rapids, until stopped (Ctrl-C).")
    boolean follow;

    public TailCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1 || count > MOST) {
            throw new InvalidInput("-n must be 1-" + MOST + " (how many of the newest events to show), got " + count);
        }
        List<Topic> wanted = types.stream().map(Topic::of).toList();
        Instant now = Instant.now();
        Instant from = PointInTime.parse(since, "--since", now);
        RapidsTail live = follow ? session.backend().operations().tail() : null;
        ArchiveQuery query = ArchiveQuery.window(from, now.plusSeconds(1)).ofTypes(wanted);
        Deque<Event> newest = new ArrayDeque<>(count);
        long notEvents = 0;
        Archive archive = session.archive();
        try (Archive.Cursor cursor = archive.open(query, "")) {
            while (cursor.hasNext()) {
                Event event = Event.whole(cursor.next().data()).orElse(null);
                if (event == null) {
                    notEvents++;
                    continue;
                }
                if (newest.size() == count) {
                    newest.removeFirst();
                }
                newest.addLast(event);
            }
        }
        // the live tail may give again what the archive just did: those are the only ids to remember (-n of them)
        Set<String> shown = new HashSet<>();
        newest.forEach(event -> {
            shown.add(event.id());
            show(event);
        });
        if (newest.isEmpty() && !follow) {
            session.output().notice("no event" + (wanted.isEmpty() ? "" : " of " + String.join(", ", types)) + " archived since "
                    + Timestamps.format(from) + " (a longer --since looks further back)");
        }
        if (notEvents > 0) {
            session.output().notice("and " + notEvents + " archived record(s) that are no event, not shown");
        }
        if (follow) {
            session.output().notice("following the rapids (Ctrl-C stops)");
        }
        while (follow && !Thread.currentThread().isInterrupted() && !session.output().out().checkError()) {
            for (String text : live.await(Duration.ofSeconds(1))) {
                Event.whole(text).filter(event -> query.wants(event) && !shown.contains(event.id())).ifPresent(this::show);
            }
        }
        return 0;
    }

    /** One line, or one JSON object. */
    private void show(Event event) {
        String payload = Json.compact(event.payload());
        ObjectNode document = Json.object().put("eventId", event.id()).put("eventType", event.type().value())
                .put("timestamp", Timestamps.format(event.timestamp())).put("eventDomain", event.domain());
        document.set("payload", event.payload());
        session.output().result(Timestamps.format(event.timestamp()) + "  " + Printable.whole(event.type().value()) + "  "
                + event.id() + "  " + Printable.of(event.domain()) + "  " + Printable.of(payload), document);
    }
}
