package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.PlaneDeadLetter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Understands how to show what the planes gave up on: the reason, where it lay, and the record itself. */
@Command(name = "deadletters", description = "Show the records the planes gave up on, with the reason (nothing is removed)",
        abbreviateSynopsis = true)
public final class DeadLettersCommand implements Callable<Integer> {
    private static final int SHOWN_CHARS = 300;

    private final Session session;

    @Option(names = "--plane", paramLabel = "<plane>", description = "fanout or control (default: both).")
    String plane;

    @Option(names = "--max", paramLabel = "<n>", defaultValue = "100", description = "Most records per plane, 1-10000 (default: ${DEFAULT-VALUE}).")
    int max;

    public DeadLettersCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (max < 1 || max > 10_000) {
            throw new InvalidInput("--max must be between 1 and 10000");
        }
        List<Plane> planes = plane == null ? List.of(Plane.values()) : List.of(Plane.of(plane));
        List<PlaneDeadLetter> letters = new ArrayList<>();
        for (Plane each : planes) {
            letters.addAll(session.backend().operations().planeDeadLetters(each, max));
        }
        if (session.output().json()) {
            letters.forEach(letter -> session.output().plain(Json.compact(json(letter))));
            return 0;
        }
        if (letters.isEmpty()) {
            session.output().plain("no dead letters" + (plane == null ? "" : " in the " + plane + " plane"));
        }
        for (PlaneDeadLetter letter : letters) {
            session.output().plain(letter.plane() + " " + letter.shardId() + " " + letter.sequenceNumber() + " "
                    + Timestamps.format(letter.buriedAt()) + ": " + letter.reason());
            String data = letter.data().map(d -> d.length() > SHOWN_CHARS ? d.substring(0, SHOWN_CHARS) + "..." : d)
                    .orElse("(the record can no longer be read)");
            session.output().plain("  " + ("base64".equals(letter.dataEncoding()) ? "base64 " : "") + data
                    + (letter.truncated() ? " (cut to fit the queue; cannot be put back)" : ""));
        }
        return 0;
    }

    private static ObjectNode json(PlaneDeadLetter letter) {
        ObjectNode json = Json.object().put("plane", letter.plane().word()).put("reason", letter.reason())
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
