package org.rapidsrivers.core.archive;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands which archived events a reader wants: those that arrived in [since, until), of the given
 * types (none: every type), of one chain (correlationId) or one event (eventId). Its {@link #describe}
 * is the same text for the same query, so a replay run again recognises the one it resumes.
 */
public record ArchiveQuery(Instant since, Instant until, SortedSet<Topic> types, Optional<String> correlationId,
                           Optional<String> eventId) {
    public ArchiveQuery {
        if (!until.isAfter(since)) {
            throw new InvalidInput("--until " + Timestamps.format(until) + " is not after --since " + Timestamps.format(since)
                    + ": the window must end after it begins");
        }
        types = new TreeSet<>(types);
    }

    public static ArchiveQuery window(Instant since, Instant until) {
        return new ArchiveQuery(since, until, new TreeSet<>(), Optional.empty(), Optional.empty());
    }

    public ArchiveQuery ofTypes(Collection<Topic> wanted) {
        return new ArchiveQuery(since, until, new TreeSet<>(wanted), correlationId, eventId);
    }

    public ArchiveQuery ofChain(String correlation) {
        return new ArchiveQuery(since, until, types, Optional.of(correlation), eventId);
    }

    public ArchiveQuery ofEvent(String id) {
        return new ArchiveQuery(since, until, types, correlationId, Optional.of(id));
    }

    /** Whether an archived envelope is one the query wants (the window is the archive's to apply). */
    public boolean wants(Event event) {
        if (!types.isEmpty() && !types.contains(event.type())) {
            return false;
        }
        if (correlationId.isPresent() && !correlationId.get().equals(chainOf(event))) {
            return false;
        }
        return eventId.isEmpty() || eventId.get().equals(event.id());
    }

    /** The chain an event belongs to: its correlationId, or its own id when it starts one. */
    public static String chainOf(Event event) {
        return event.correlationId().orElseGet(event::id);
    }

    public String describe() {
        String filter = filter();
        return "since " + Timestamps.format(since) + " until " + Timestamps.format(until) + (filter.isEmpty() ? "" : " " + filter);
    }

    /** What it wants besides the window, as text ("" for every event): the same text for the same filter. */
    public String filter() {
        StringBuilder text = new StringBuilder();
        types.forEach(type -> text.append(" type ").append(type.value()));
        correlationId.ifPresent(id -> text.append(" correlation ").append(id));
        eventId.ifPresent(id -> text.append(" event ").append(id));
        return text.toString().strip();
    }

    /** The same filter over another window. */
    public ArchiveQuery over(Instant from, Instant to) {
        return new ArchiveQuery(from, to, types, correlationId, eventId);
    }
}
