package org.rapidsrivers.cli.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Candidates;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.archive.ArchiveQuery;
import org.rapidsrivers.core.archive.PointInTime;
import org.rapidsrivers.core.archive.Replayer;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.stage.StageOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Understands how an operator gives one river archived events again: those of a window (of the types the
 * river is subscribed to unless others are named, and of one chain if asked), sent into that river only, never onto the rapids, in the order they arrived, each marked
 * as a replay of a new generation. Killed and run again, the same replay resumes where it got to.
 */
@Command(name = "replay", description = "Send archived events into one river again", abbreviateSynopsis = true)
public final class ReplayCommand implements Callable<Integer> {
    /** Events per noted step: embedded, one transaction each; on AWS, ten SendMessageBatch calls and a progress note. */
    private static final int EMBEDDED_BATCH = 500;
    private static final int AWS_BATCH = 100;
    private final Session session;

    @Option(names = "--since", required = true, paramLabel = "<time|ago>",
            description = "Start of the window: an ISO-8601 UTC time or a duration ago (90s, 30m, 2h, 7d).")
    String since;

    @Option(names = "--until", paramLabel = "<time|ago>", description = "End of the window, not included (default: now).")
    String until;

    @Option(names = "--type", paramLabel = "<type>", description = "Only events of this type (repeat for more;"
            + " default: the types the river is subscribed to).", completionCandidates = Candidates.Topics.class)
    List<String> types = new ArrayList<>();

    @Option(names = "--all-types", description = "Every type in the window, the stage's own events (subscriptions,"
            + " heartbeats, outcomes) included.")
    boolean allTypes;

    @Option(names = "--correlation-id", paramLabel = "<id>", description = "Only the events of this chain.")
    String correlationId;

    @Option(names = "--into", required = true, paramLabel = "<river>", description = "The one river that receives them.",
            completionCandidates = Candidates.Rivers.class)
    String into;

    @Option(names = "--rate", paramLabel = "<events/s>", defaultValue = "0",
            description = "At most this many events a second (default: as fast as the river takes them).")
    double rate;

    public ReplayCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (rate < 0) {
            throw new InvalidInput("--rate must be 0 (no limit) or a positive number of events a second");
        }
        RiverName river = RiverName.of(into);
        Instant now = Instant.now();
        ArchiveQuery query = ArchiveQuery.window(PointInTime.parse(since, "--since", now),
                until == null ? now : PointInTime.parse(until, "--until", now)).ofTypes(typesFor(river));
        if (correlationId != null) {
            query = query.ofChain(correlationId);
        }
        if (allTypes) {
            session.output().notice("replaying every type in the window into " + river + ", the stage's own events"
                    + " (subscriptions, heartbeats, outcomes) included");
        }
        Progress progress = new Progress(session.output().err());
        Replayer.Outcome outcome = new Replayer(session.archive(), session.backend().rivers(),
                session.backend().kind().equals(StageOptions.EMBEDDED) ? EMBEDDED_BATCH : AWS_BATCH).replay(river, query, rate,
                (state, resumed) -> {
                    if (resumed) {
                        session.output().notice("resuming replay " + state.generation() + " into " + river + " ("
                                + state.sent() + " sent before; its window: " + Timestamps.format(state.since()) + " to "
                                + Timestamps.format(state.until()) + ")");
                    }
                }, progress::show, () -> Thread.currentThread().isInterrupted());
        progress.done();
        ObjectNode document = Json.object();
        document.put("generation", outcome.state().generation());
        document.put("river", river.value());
        document.put("sent", outcome.state().sent());
        document.put("sentNow", outcome.sentNow());
        document.put("resumed", outcome.resumed());
        document.put("leftOut", outcome.leftOut());
        session.output().result("replayed " + outcome.state().sent() + " event(s) into " + river + " as replay "
                + outcome.state().generation() + (outcome.resumed() ? " (" + outcome.sentNow() + " in this run)" : "")
                + (outcome.leftOut() > 0 ? "; left out " + outcome.leftOut() + " archived record(s) the fan-out could never route"
                + " (rr deadletters --plane fanout shows why)" : ""), document);
        return 0;
    }

    /**
     * The types to replay: those named; none (every type) with --all-types; else the ones the river is
     * subscribed to that the archive holds, so a replay never gives a river what its subscriptions would not.
     */
    private List<Topic> typesFor(RiverName river) {
        if (allTypes && !types.isEmpty()) {
            throw new InvalidInput("--all-types and --type exclude each other: name the types, or take them all");
        }
        if (allTypes || !types.isEmpty()) {
            return types.stream().map(Topic::of).toList();
        }
        Set<Topic> subscribed = session.backend().subscriptions().topicsOf(river);
        if (subscribed.isEmpty()) {
            if (!session.backend().rivers().exists(river)) {
                return List.of();
            }
            throw new InvalidInput("river '" + river + "' is subscribed to no topic, so there are no types to replay by"
                    + " default: name them with --type <type>, or --all-types for every one");
        }
        Set<String> archived = session.archive().types();
        List<Topic> held = subscribed.stream().filter(t -> archived.contains(t.value())).toList();
        if (held.isEmpty()) {
            throw new InvalidInput("the archive holds no event of the types river '" + river + "' is subscribed to ("
                    + String.join(", ", subscribed.stream().map(Topic::value).toList()) + "): nothing sent; name others"
                    + " with --type <type>");
        }
        return held;
    }
}
