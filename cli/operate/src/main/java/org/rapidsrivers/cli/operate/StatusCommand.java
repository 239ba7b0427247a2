package org.rapidsrivers.cli.operate;

import org.rapidsrivers.cli.session.Candidates;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Understands how to answer "is anything stuck?": the status of the rivers, the stream consumers, the planes and the services. */
@Command(name = "status", description = "Show rivers, stream lag, the planes' dead letters and the services seen",
        abbreviateSynopsis = true)
public final class StatusCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(arity = "0..*", paramLabel = "<river>", description = "Only these rivers (default: all).",
            completionCandidates = Candidates.Rivers.class)
    List<String> rivers = new ArrayList<>();

    public StatusCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        List<RiverName> wanted = rivers.stream().map(RiverName::of).distinct().toList();
        // no planes hosted here: the status shows how far behind they are, it does not catch them up
        StatusReport report = StatusReport.of(session.backend(), wanted, Clock.systemUTC());
        if (session.output().json()) {
            session.output().plain(Json.compact(report.toJson()));
        } else {
            session.output().out().print(report.table());
            session.output().out().flush();
        }
        return 0;
    }
}
