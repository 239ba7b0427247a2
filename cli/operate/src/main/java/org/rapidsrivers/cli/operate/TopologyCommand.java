package org.rapidsrivers.cli.operate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.DurationText;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Understands how to draw who talks to whom: publishers, event types, rivers and the services reading them. */
@Command(name = "topology", description = "Show publishers -> event types -> rivers -> services, and what looks wrong",
        abbreviateSynopsis = true)
public final class TopologyCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--format", paramLabel = "<format>", defaultValue = "text",
            description = "text, mermaid, dot or json (default: ${DEFAULT-VALUE}; --json means json).")
    String format;

    @Option(names = "--stale", paramLabel = "<duration>", defaultValue = "60m",
            description = "Flag services that have published nothing for this long (default: ${DEFAULT-VALUE}).")
    String stale;

    public TopologyCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (!List.of("text", "mermaid", "dot", "json").contains(format)) {
            throw new InvalidInput("unknown --format '" + Printable.of(format)
                    + "': use text, mermaid, dot or json");
        }
        Duration quiet = DurationText.parse(stale, "--stale", Duration.ofSeconds(1), Duration.ofDays(30));
        Topology topology = Topology.of(session.backend(), quiet, Instant.now());
        String chosen = session.output().json() ? "json" : format;
        session.output().out().print(switch (chosen) {
            case "json" -> Json.compact(topology.toJson()) + "\n";
            case "mermaid" -> topology.mermaid();
            case "dot" -> topology.dot();
            default -> topology.text();
        });
        session.output().out().flush();
        return 0;
    }
}
