package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Candidates;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.PlaneDeadLetter;
import org.rapidsrivers.core.operate.RiverDeadLetter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Understands removing dead letters for good, one river's or one plane's, those named by id or all: each is
 * written to a file of the data directory first ({@link DiscardRecord}), and removed only once that is on disk.
 * Ids that are not there refuse the whole command, so nothing is half done.
 */
@Command(name = "discard", description = "Remove dead letters for good, recording them in a file first",
        abbreviateSynopsis = true)
public final class DiscardCommand implements Callable<Integer> {
    /** The most looked through for named ids, and removed by --all in one run. */
    static final int MOST = 10_000;

    private final Session session;

    @Parameters(arity = "0..*", paramLabel = "<id>", description = "Ids as deadletters shows them.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "Every dead letter of the river or plane.")
    boolean all;

    @Option(names = "--river", paramLabel = "<river>", description = "The river whose dead letters to remove.",
            completionCandidates = Candidates.Rivers.class)
    String river;

    @Option(names = "--plane", paramLabel = "<plane>", description = "The plane whose dead letters to remove: fanout or control.")
    String plane;

    public DiscardCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if ((river == null) == (plane == null)) {
            throw new InvalidInput("name the river or the plane, one of them: deadletters discard <id>... --river <river>"
                    + " | --plane fanout|control");
        }
        if (all == !ids.isEmpty()) {
            throw new InvalidInput("name the dead letters by id, or --all, one of them (deadletters --river/--plane shows the ids)");
        }
        Set<String> wanted = new LinkedHashSet<>(ids);
        Operations operations = session.backend().operations();
        String source = river != null ? RiverName.of(river).value() : Plane.of(plane).word();
        Clock clock = Clock.systemUTC();
        if (river != null) {
            requireThere(wanted, operations.deadLetters(RiverName.of(river), MOST).stream().map(RiverDeadLetter::id).toList(),
                    "river " + source);
        } else {
            requireThere(wanted, operations.planeDeadLetters(Plane.of(plane), MOST).stream().map(PlaneDeadLetter::id).toList(),
                    "the " + source + " plane");
        }
        Path file = session.privateFile(DiscardRecord.name(session.stage().value(), source, clock)).toAbsolutePath();
        DiscardRecord record = new DiscardRecord(file, clock);
        int removed;
        if (river != null) {
            RiverName name = RiverName.of(river);
            removed = operations.discardDeadLetters(name, wanted, MOST, letters -> record.append(
                    letters.stream().map(DeadLettersCommand::json).toList())).size();
        } else {
            Plane chosen = Plane.of(plane);
            removed = operations.discardPlaneDeadLetters(chosen, wanted, MOST, letters -> record.append(
                    letters.stream().map(DeadLettersCommand::json).toList())).size();
        }
        if (removed == 0) {
            record.forgetIfEmpty();
        }
        String where = river != null ? "river " + source : "the " + source + " plane";
        ObjectNode result = Json.object().put(river != null ? "river" : "plane", source).put("discarded", removed)
                .put("recordedIn", file.toString());
        session.output().result(removed == 0 ? "no dead letters of " + where + " to discard"
                : "discarded " + removed + " dead letter(s) of " + where + "; recorded first in " + file, result);
        return 0;
    }

    private static void requireThere(Set<String> wanted, List<String> there, String where) {
        List<String> missing = wanted.stream().filter(id -> !there.contains(id)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidInput("no dead letter " + String.join(", ", missing) + " in " + where
                    + ": nothing discarded (deadletters shows the ids there)");
        }
    }
}
