package org.rapidsrivers.cli.operate;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.json.Json;
import picocli.CommandLine.Command;

/** Understands "do the stage's business outcomes hold?": every monitor, its rule and its state, breached first. */
@Command(name = "monitors", description = "List the stage's monitors: rule, ratio, sample, healthy or breached since when",
        abbreviateSynopsis = true)
public final class MonitorsCommand implements Callable<Integer> {
    private final Session session;

    public MonitorsCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        MonitorsReport report = MonitorsReport.of(session.backend(), Clock.systemUTC().instant());
        if (session.output().json()) {
            session.output().plain(Json.compact(report.toJson()));
        } else {
            session.output().out().print(report.text());
            session.output().out().flush();
        }
        return 0;
    }
}
