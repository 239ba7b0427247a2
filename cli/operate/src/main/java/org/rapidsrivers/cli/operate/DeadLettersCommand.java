package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Candidates;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.PlaneDeadLetter;
import org.rapidsrivers.core.operate.RiverDeadLetter;
import org.rapidsrivers.core.operate.RiverStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Understands how to show what was given up on, with why: every river's dead-letter queue that holds
 * anything and both planes' dead letters (or those named), each with its id, its reason and the message
 * itself. {@code deadletters discard} removes some for good, recording them first ({@link DiscardCommand}).
 */
@Command(name = "deadletters", description = "Show what the rivers and the planes gave up on, with why (nothing is removed)",
        abbreviateSynopsis = true, subcommands = DiscardCommand.class)
public final class DeadLettersCommand implements Callable<Integer> {
    static final int SHOWN_CHARS = 300;

    private final Session session;

    @Option(names = "--river", paramLabel = "<river>", description = "Only this river's dead letters (repeatable).",
            completionCandidates = Candidates.Rivers.class)
    List<String> rivers = new ArrayList<>();

    @Option(names = "--plane", paramLabel = "<plane>", description = "Only this plane's: fanout or control (repeatable).")
    List<String> planes = new ArrayList<>();

    @Option(names = "--max", paramLabel = "<n>", defaultValue = "100", description = "Most per river or plane, 1-10000 (default: ${DEFAULT-VALUE}).")
    int max;

    public DeadLettersCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (max < 1 || max > 10_000) {
            throw new InvalidInput("--max must be between 1 and 10000");
        }
        Operations operations = session.backend().operations();
        List<Plane> chosenPlanes = planes.stream().map(Plane::of).toList();
        List<RiverName> chosenRivers = rivers.stream().map(RiverName::of).toList();
        boolean all = chosenPlanes.isEmpty() && chosenRivers.isEmpty();
        if (all) {
            chosenRivers = operations.rivers().stream().filter(r -> r.deadLettered() > 0).map(RiverStatus::river).toList();
            chosenPlanes = List.of(Plane.values());
        }
        List<RiverDeadLetter> riverLetters = new ArrayList<>();
        for (RiverName river : chosenRivers) {
            riverLetters.addAll(operations.deadLetters(river, max));
        }
        List<PlaneDeadLetter> planeLetters = new ArrayList<>();
        for (Plane plane : chosenPlanes) {
            planeLetters.addAll(operations.planeDeadLetters(plane, max));
        }
        if (session.output().json()) {
            riverLetters.forEach(letter -> session.output().plain(Json.compact(json(letter))));
            planeLetters.forEach(letter -> session.output().plain(Json.compact(json(letter))));
            return 0;
        }
        if (riverLetters.isEmpty() && planeLetters.isEmpty()) {
            session.output().plain("no dead letters" + (all ? " in any river or plane" : " in " + String.join(", ",
                    chosenRivers.stream().map(r -> "river " + r).toList()) + (chosenRivers.isEmpty() || chosenPlanes.isEmpty()
                    ? "" : ", ") + String.join(", ", chosenPlanes.stream().map(p -> "the " + p + " plane").toList())));
        }
        for (RiverDeadLetter letter : riverLetters) {
            session.output().plain("river " + letter.river() + " " + letter.id() + ": " + Printable.whole(letter.reason()));
            session.output().plain("  " + Printable.whole(cut(letter.body())));
        }
        for (PlaneDeadLetter letter : planeLetters) {
            session.output().plain(letter.plane() + " " + letter.id() + " " + letter.shardId() + " " + letter.sequenceNumber() + " "
                    + Timestamps.format(letter.buriedAt()) + ": " + Printable.whole(letter.reason()));
            String data = letter.data().map(DeadLettersCommand::cut).orElse("(the record can no longer be read)");
            session.output().plain("  " + ("base64".equals(letter.dataEncoding()) ? "base64 " : "") + Printable.whole(data)
                    + (letter.truncated() ? " (cut to fit the queue; cannot be put back)" : ""));
        }
        if (!riverLetters.isEmpty() || !planeLetters.isEmpty()) {
            session.output().plain("(redrive puts them back; deadletters discard <id>... --river <river> | --plane <plane>"
                    + " removes them, recording them first)");
        }
        return 0;
    }

    private static String cut(String text) {
        return text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text;
    }

    static ObjectNode json(RiverDeadLetter letter) {
        ObjectNode json = Json.object().put("river", letter.river().value()).put("id", letter.id())
                .put("receiveCount", letter.receiveCount()).put("reason", letter.reason());
        letter.note().ifPresentOrElse(note -> json.set("note", Json.parse(note.toJson())), () -> json.putNull("note"));
        return json.put("body", letter.body());
    }

    static ObjectNode json(PlaneDeadLetter letter) {
        ObjectNode json = Json.object().put("plane", letter.plane().word()).put("id", letter.id()).put("reason", letter.reason())
                .put("shardId", letter.shardId()).put("sequenceNumber", letter.sequenceNumber())
                .put("partitionKey", letter.partitionKey()).put("buriedAt", Timestamps.format(letter.buriedAt()))
                .put("dataEncoding", letter.dataEncoding()).put("truncated", letter.truncated())
                .put("redrivable", letter.redrivable());
        if (letter.data().isPresent()) {
            json.put("data", letter.data().get());
        } else {
            json.putNull("data");
        }
        return json;
    }
}
