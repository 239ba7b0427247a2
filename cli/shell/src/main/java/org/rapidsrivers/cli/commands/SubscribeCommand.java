package org.rapidsrivers.cli.commands;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.DurationText;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.archive.PointInTime;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.stage.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Understands how to ask the control plane to let a topic flow into a river, making the river if needed, whole or
 * only the events whose payload meets every {@code --where};
 * with {@code --from}, the river also gets the topic's archived history since then (a backfill), before
 * and beside the live events; a backfill that fails undoes its subscription ({@link Backfill}).
 */
@Command(name = "subscribe", description = "Subscribe a river to a topic", abbreviateSynopsis = true)
public final class SubscribeCommand implements Callable<Integer> {
    private final Session session;

    @Mixin
    RiverAndTopic arguments;

    @Mixin
    WaitOptions wait;

    @Option(names = "--where", paramLabel = "<path><op><value>",
            description = "Only the topic's events whose payload meets this (again for AND): source=location,brand (any of them),"
                    + " source!=brand, sku^=EU- (prefix), file$=.pdf (suffix), user~=sally (ignoring case), amount>=1000"
                    + " (< <= > >=), user:exists, offer:missing; dots go into the payload (order.total>100)."
                    + " Subscribing again replaces what the river wants of the topic.")
    List<String> where = new ArrayList<>();

    @Option(names = "--from", paramLabel = "<time|ago>",
            description = "Also deliver the topic's archived events since then: an ISO-8601 UTC time or a duration ago (2h, 7d).")
    String from;

    @Option(names = "--seam", paramLabel = "<duration>", defaultValue = "60s",
            description = "On AWS, how long past the subscription the backfill reaches, for SNS to apply it (default: ${DEFAULT-VALUE});"
                    + " events of the seam arrive twice and the River API skips the second.")
    String seam;

    public SubscribeCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        ContentFilter filter = ContentFilter.parse(where);
        ControlCommand command = ControlCommand.subscribe(arguments.river(), arguments.topic(), filter, Clock.systemUTC());
        if (!filter.isWhole()) {
            // said here in the limit's own words; the control plane checks again against the river as it is then
            session.backend().subscriptions().policyOf(command.river()).with(command.topic(), filter)
                    .requireWithinLimits(command.river());
        }
        Instant since = null;
        Duration seamLength = DurationText.parse(seam, "--seam", Duration.ZERO, Duration.ofMinutes(15));
        if (from != null) {
            since = PointInTime.parse(from, "--from", Instant.now());
            if (!wait.waits()) {
                throw new InvalidInput("--from needs the subscription applied first: leave out --no-wait");
            }
            if (!filter.isWhole()) {
                throw new InvalidInput("--from gives a topic's whole history, --where only some of its events: subscribe with"
                        + " --where, then rr replay --into " + command.river() + " --type " + command.topic() + " --since " + from
                        + " (the river's service skips what it does not want)");
            }
            if (session.backend().subscriptions().topicsOf(command.river()).contains(command.topic())) {
                throw new InvalidInput("river '" + command.river() + "' already receives " + command.topic() + ": to give it that"
                        + " history again, rr replay --into " + command.river() + " --type " + command.topic() + " --since " + from);
            }
        }
        int status = new ControlRequest(session).send(command, "subscribed " + command.river() + " to " + command.topic()
                        + (filter.isWhole() ? "" : " where " + filter.text()),
                wait.waits(), wait.timeout());
        if (since != null) {
            Instant subscribedAt = Instant.now();
            Instant from = since;
            long given = new Backfill(command.river(), command.topic(), since, subscribedAt).giveOrUndo(
                    () -> session.archive(seamLength).backfill(command.river(), command.topic(), from, subscribedAt),
                    () -> ControlClient.of(session.backendWithPlanes()).send(
                            ControlCommand.unsubscribe(command.river(), command.topic(), Clock.systemUTC()), wait.timeout()));
            session.output().result("backfilled " + given + " event(s) of " + command.topic() + " since " + Timestamps.format(since)
                    + " into " + command.river(), Json.object().put("backfilled", given).put("river", command.river().value())
                    .put("topic", command.topic().value()).put("since", Timestamps.format(since)));
        }
        return status;
    }
}
