package org.rapidsrivers.cli.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Candidates;
import org.rapidsrivers.cli.session.CommandFailed;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.operate.RiverDeadLetter;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Visibility;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.service.RiverReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Understands how to take a batch of events from a river: they are printed first, byte for byte
 * in meaning and with every number as it was sent, and deleted only once the output was written
 * and flushed without error, so a reader that dies or cannot write loses nothing (the events come
 * back after the visibility timeout).
 */
@Command(name = "readfrom", description = "Get a batch of messages", abbreviateSynopsis = true)
public final class ReadFromCommand implements Callable<Integer> {
    static final Duration VISIBILITY = Visibility.SHELL;
    /** Deepest document printed as itself: Jackson writes 1000 levels, and the array around the batch takes one. */
    private static final int PRINTABLE_DEPTH = 999;
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

    @Option(names = "--dlq", description = "Read the river's dead-letter queue instead, leaving every message there.")
    boolean deadLetters;

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
        if (deadLetters) {
            List<RiverDeadLetter> dead = session.backend().operations().deadLetters(name, max);
            List<String> documents = new ArrayList<>(dead.size());
            // the events on standard output as they are; why each is there beside them, on standard error
            dead.forEach(letter -> {
                documents.add(printable(letter.body()));
                session.output().notice("dead letter " + letter.id() + ": " + Printable.whole(letter.reason()));
            });
            if (!session.output().documents(Json.arrayText(documents, !session.output().json()))) {
                throw new CommandFailed("could not write to standard output (closed pipe or full disk)");
            }
            return 0;
        }
        Backend backend = session.backendToDrain();
        new RiverReader(backend.rivers(), name).readOnce(max, Duration.ofSeconds(waitSeconds),
                peek ? Duration.ZERO : VISIBILITY, received -> print(name, received));
        return 0;
    }

    /** Prints the batch; the deliveries that may be deleted: those printed, and none when peeking. */
    private List<Delivery> print(RiverName name, List<Delivery> received) {
        if (received.isEmpty() && Thread.currentThread().isInterrupted()) {
            throw new CommandFailed("cancelled");
        }
        List<String> documents = new ArrayList<>(received.size());
        List<Delivery> printed = new ArrayList<>(received.size());
        for (Delivery delivery : received) {
            try {
                documents.add(printable(delivery.body()));
                printed.add(delivery);
            } catch (RuntimeException unprintable) {
                // one message that cannot be shown must not hold back, or take down, the others
                session.output().notice("warning: a message of river " + name + " cannot be printed ("
                        + unprintable.getMessage() + "); it stays in the river and goes to " + name
                        + "-dlq after " + Rivers.MAX_RECEIVES + " receives");
            }
        }
        if (!session.output().documents(Json.arrayText(documents, !session.output().json()))) {
            throw new CommandFailed("could not write to standard output (closed pipe or full disk)" + (received.isEmpty()
                    ? "" : ", so nothing was deleted: the " + received.size() + " event(s) come back to river " + name
                    + " after " + (peek ? 0 : VISIBILITY.toSeconds()) + " s"));
        }
        if (peek) {
            warnOfLastReceive(name, received);
            return List.of();
        }
        return printed;
    }

    /** The body as it will be printed: the JSON it is, or, for a body that is not JSON, a JSON string holding it. */
    private static String printable(String body) {
        try {
            Json.check(body, PRINTABLE_DEPTH);
            return body;
        } catch (InvalidInput notJson) {
            return Json.compact(Json.mapper().getNodeFactory().textNode(body));
        }
    }

    private void warnOfLastReceive(RiverName name, List<Delivery> peeked) {
        for (Delivery delivery : peeked) {
            if (delivery.receiveCount() >= Rivers.MAX_RECEIVES) {
                session.output().notice("warning: that peek was receive " + delivery.receiveCount() + " of "
                        + Rivers.MAX_RECEIVES + " of a message of river " + name + " (peeks count, as in SQS):"
                        + " the next receive moves it to " + name + "-dlq; read it without --peek to keep it");
            }
        }
    }
}
