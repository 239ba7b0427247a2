package org.rapidsrivers.core.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands a stage's archive: every event that reached the rapids, kept byte for byte until the
 * stage's retention, in the order it arrived (so in order per partition key); read back by window,
 * type and chain, replayed into one river, and used to backfill a new subscription.
 */
public interface Archive {
    /** The events the query wants, oldest first, after {@code after} (an earlier event's position; "" for the start). */
    Cursor open(ArchiveQuery query, String after);

    /** What the archive holds; {@code detailed}: with its bytes and a count per type (a longer read). */
    ArchiveSummary summary(boolean detailed);

    /** Every event type the archive holds. */
    SortedSet<String> types();

    /** Keeps events for that long from their arrival; empty: for ever (the default). */
    void retain(Optional<Duration> keepFor);

    /** A replay into the river with the same filter ({@link ArchiveQuery#filter}) that was started and not finished, if any. */
    Optional<ReplayState> unfinishedReplay(RiverName river, String filter);

    /** Starts a replay of the query with a generation of its own. */
    ReplayState startReplay(RiverName river, ArchiveQuery query);

    /**
     * Sends the batch into the replay's river, in order, each message marked as a replay of its generation,
     * and notes that the replay got to the batch's last position; the state after.
     */
    ReplayState deliver(ReplayState replay, List<ArchivedEvent> batch);

    void finish(ReplayState replay);

    /**
     * Gives a river the topic's history since {@code from}: the archived events of that type that reached
     * the rapids before the river's subscription to it, as ordinary messages, oldest first; how many.
     * The seam between them and the live events is the backend's to keep (see docs/archive.md).
     */
    long backfill(RiverName river, Topic topic, Instant from, Instant subscribedAt);

    /** Understands reading an archive in order; close it when done. */
    interface Cursor extends Iterator<ArchivedEvent>, AutoCloseable {
        @Override
        void close();
    }
}
