package org.rapidsrivers.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.core.ports.Delivery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Understands how to take a batch of events from a river: they are printed first and deleted
 * only after, so a reader that dies before printing loses nothing (they come back after the
 * visibility timeout).
 */
@Command(name = "readfrom", description = "Get a batch of messages", abbreviateSynopsis = true)
public final class ReadFromCommand implements Callable<Integer> {
    static final Duration VISIBILITY = Duration.ofSeconds(30);
    private final Session session;

    @Parameters(index = "0", paramLabel = "<river>", description = "River (queue) name.", completionCandidates = Candidates.Rivers.class)
    String river;

    @Option(names = "--max", paramLabel = "<n>", defaultValue = "10", description = "Most messages to take, 1-10 (default: ${DEFAULT-VALUE}).")
    int max = 10;

    @Option(names = "--wait", paramLabel = "<seconds>", defaultValue = "1",
            description = "Seconds to wait for a first message, 0-20 (default: ${DEFAULT-VALUE}).")
    int waitSeconds = 1;

    @Option(names = "--peek", description = "Leave the messages in the river (a peek still counts as a receive, as in SQS).")
    boolean peek;

    public ReadFromCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        RiverName name = RiverName.of(river);
        if (max < 1 || max > 10) {
            throw new InvalidInput("--max must be between 1 and 10 (a river hands out at most 10 messages at a time)");
        }
        if (waitSeconds < 0 || waitSeconds > 20) {
            throw new InvalidInput("--wait must be between 0 and 20 seconds");
        }
        Backend backend = session.backendWithPlanes();
        List<Delivery> received = backend.rivers().receive(name, max, Duration.ofSeconds(waitSeconds),
                peek ? Duration.ZERO : VISIBILITY);
        ArrayNode events = Json.array();
        received.forEach(delivery -> events.add(bodyOf(delivery)));
        session.output().documents(events);
        if (!peek) {
            backend.rivers().delete(name, received);
        }
        return 0;
    }

    private static com.fasterxml.jackson.databind.JsonNode bodyOf(Delivery delivery) {
        try {
            return Json.parse(delivery.body());
        } catch (InvalidInput notJson) {
            return Json.mapper().getNodeFactory().textNode(delivery.body());
        }
    }
}
