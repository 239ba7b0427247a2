package org.rapidsrivers.cli.archive;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.CommandFailed;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.archive.PointInTime;
import org.rapidsrivers.core.archive.Trace;
import org.rapidsrivers.core.archive.Tracer;
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

    @Parameters(index = "0", paramLabel = "<id>", description = "An event's id, or a chain's correlation id.")
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
        Instant from = PointInTime.parse(since, "--since", now);
        Trace trace = new Tracer(session.archive(), session.backend().rivers(), session.backend().subscriptions(), session.backend().ledger())
                .trace(id, from, now.plusSeconds(1))
                .orElseThrow(() -> new CommandFailed("nothing archived since " + Timestamps.format(from) + " has eventId or"
                        + " correlationId '" + Printable.of(id) + "' (a longer --since looks further back)"));
        session.output().result(trace.text(), trace.json());
        return 0;
    }
}
