package org.rapidsrivers.cli.operate;

import org.rapidsrivers.cli.session.Candidates;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.operate.Plane;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Understands how to put dead-lettered messages back: a river's into the river, a plane's onto its stream. */
@Command(name = "redrive", description = "Move a river's dead-lettered messages back into it, or a plane's onto its stream",
        abbreviateSynopsis = true)
public final class RedriveCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<river>", description = "River whose dead-letter queue to move back.",
            completionCandidates = Candidates.Rivers.class)
    String river;

    @Option(names = "--plane", paramLabel = "<plane>", description = "fanout or control: put that plane's dead letters back on its stream.")
    String plane;

    @Option(names = "--max", paramLabel = "<n>", defaultValue = "1000000", description = "Most messages to move (default: all).")
    int max;

    public RedriveCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if ((river == null) == (plane == null)) {
            throw new InvalidInput("name a river, or --plane fanout|control, not both: redrive <river> | redrive --plane <plane>");
        }
        if (max < 1) {
            throw new InvalidInput("--max must be at least 1");
        }
        Operations operations = session.backend().operations();
        if (river != null) {
            RiverName name = RiverName.of(river);
            long moved = operations.redrive(name, max);
            session.output().result("moved " + moved + " message(s) from " + name + "-dlq back into river " + name,
                    Json.object().put("river", name.value()).put("moved", moved));
            return 0;
        }
        Plane chosen = Plane.of(plane);
        Operations.PlaneRedrive done = operations.redrivePlane(chosen, max);
        session.output().result("put " + done.putBack() + " dead letter(s) of the " + chosen + " plane back on its stream"
                        + (done.leftBehind() == 0 ? "" : "; " + done.leftBehind() + " left behind (cut or no longer readable:"
                        + " deadletters --plane " + chosen + " shows them)")
                        + (done.cameBack() == 0 ? "" : "; " + done.cameBack() + " came back during the run (given up on again:"
                        + " fix the cause, then redrive again)"),
                Json.object().put("plane", chosen.word()).put("putBack", done.putBack()).put("leftBehind", done.leftBehind())
                        .put("cameBack", done.cameBack()));
        return 0;
    }
}
