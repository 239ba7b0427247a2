package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.rapidsrivers.cli.archive.ArchiveCommand;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.archive.ArchiveSource;
import org.rapidsrivers.core.archive.ArchiveSummary;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.ConsumerLag;
import org.rapidsrivers.core.operate.FutureStamp;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.RiverStatus;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.operate.TrafficNotes;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands the answer to "is anything stuck?" for one stage: every river (or those asked for), every
 * stream consumer per shard, the planes' dead letters and the services seen; as a table for people or
 * one JSON document, with the list of what looks stuck.
 */
public record StatusReport(String stage, Instant at, List<RiverStatus> rivers, List<ConsumerLag> lag,
                           Map<Plane, Long> planeDeadLetters, Map<Plane, Long> processed, List<ServiceSeen> services,
                           List<FutureStamp> stampedAhead, String archive,
                           ObjectNode archiveJson) {
    /** A message waiting longer than this, or a consumer this far behind, counts as stuck. */
    public static final Duration PATIENCE = Duration.ofMinutes(5);

    public static StatusReport of(Backend backend, List<RiverName> wanted, Clock clock) {
        Operations operations = backend.operations();
        List<RiverStatus> rivers = wanted.isEmpty() ? operations.rivers()
                : wanted.stream().map(operations::river).toList();
        Map<Plane, Long> dead = new EnumMap<>(Plane.class);
        for (Plane plane : Plane.values()) {
            dead.put(plane, operations.planeDeadLetterCount(plane));
        }
        List<Traffic> traffic = operations.traffic();
        // what the planes did, from the fan-out's notes: every event it routed, and among them the
        // control plane's outcomes (one per command applied or rejected)
        Map<Plane, Long> processed = new EnumMap<>(Plane.class);
        processed.put(Plane.FANOUT, traffic.stream().mapToLong(Traffic::count).sum());
        // on AWS from the control plane's own ledger: outcome events on the rapids could come from anyone
        processed.put(Plane.CONTROL, operations.outcomesRecorded().orElseGet(() -> traffic.stream()
                .filter(t -> t.domain().equals(CommandOutcome.DOMAIN)).mapToLong(Traffic::count).sum()));
        // a deployed function has no heartbeat: what it noted of its last batch in its pond says it works
        List<ServiceSeen> services = ServiceSeen.from(traffic).stream()
                .map(s -> s.deployed() ? s.withLastBatch(lastBatch(backend, s.service())) : s).toList();
        ObjectNode archiveJson = Json.object();
        String archive;
        try {
            ArchiveSummary summary = ArchiveSource.of(backend, Duration.ZERO).summary(false);
            archive = ArchiveCommand.headline(summary);
            archiveJson = ArchiveCommand.json(summary, false);
        } catch (RuntimeException unreadable) {
            // the rest of the status matters more than the archive's numbers
            archive = "archive: cannot say (" + unreadable.getMessage() + ")";
            archiveJson.put("error", String.valueOf(unreadable.getMessage()));
        }
        return new StatusReport(backend.stage().value(), clock.instant(), rivers, operations.lag(), dead, processed,
                services, operations.stampedAhead(), archive, archiveJson);
    }

    private static Optional<ServiceSeen.LastBatch> lastBatch(Backend backend, String service) {
        try {
            return ServiceSeen.LastBatch.of(backend.pond(service).get(TrafficNotes.LAST_BATCH));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** What looks stuck, one sentence each; empty when nothing does. */
    public List<String> stuck() {
        List<String> stuck = new ArrayList<>();
        for (RiverStatus river : rivers) {
            if (river.deadLettered() > 0) {
                stuck.add("river " + river.river() + " has " + river.deadLettered() + " dead-lettered message(s):"
                        + " readfrom " + river.river() + " --dlq shows them, redrive " + river.river() + " puts them back");
            }
            river.oldestAge().filter(age -> age.compareTo(PATIENCE) > 0).ifPresent(age -> stuck.add("river " + river.river()
                    + " has a message waiting " + DurationWords.of(age) + ": is its service running?"));
        }
        for (ConsumerLag consumer : lag) {
            if (consumer.millisBehind().orElse(0) > PATIENCE.toMillis()) {
                stuck.add(consumer.consumer() + " is " + DurationWords.of(Duration.ofMillis(consumer.millisBehind().getAsLong()))
                        + " behind on " + consumer.stream() + " " + consumer.shard() + ": is a process hosting the planes running?");
            }
        }
        planeDeadLetters.forEach((plane, count) -> {
            if (count > 0) {
                stuck.add("the " + plane + " plane gave up on " + count + " message(s): deadletters --plane " + plane
                        + " shows them, redrive --plane " + plane + " puts them back");
            }
        });
        for (ServiceSeen service : services) {
            service.silentFor(at).ifPresent(silent -> stuck.add("service " + service.service() + " (instance "
                    + service.alive().map(ServiceSeen.Alive::instanceId).orElse(service.instanceId()) + ") has been silent for "
                    + DurationWords.of(silent) + ", its heartbeat every " + DurationWords.of(service.alive().get().every())
                    + ": is it running?"));
        }
        for (FutureStamp stamp : stampedAhead) {
            stuck.add(stamp.describe(DurationWords.of(stamp.ahead())) + ": its clock runs ahead (nothing waits for it:"
                    + " leases go by their renewals, such messages are visible now); set that machine's clock right");
        }
        return stuck;
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object().put("stage", stage).put("at", Timestamps.format(at));
        var riversJson = json.putArray("rivers");
        for (RiverStatus river : rivers) {
            ObjectNode r = riversJson.addObject().put("river", river.river().value());
            var topics = r.putArray("topics");
            river.topics().forEach(t -> topics.add(t.value()));
            r.put("visible", river.visible()).put("inFlight", river.inFlight()).put("deadLettered", river.deadLettered());
            putOrNull(r, "oldestAgeMs", river.oldestAge().map(Duration::toMillis));
        }
        var lagJson = json.putArray("streams");
        for (ConsumerLag consumer : lag) {
            ObjectNode l = lagJson.addObject().put("stream", consumer.stream()).put("consumer", consumer.consumer())
                    .put("shard", consumer.shard());
            putOrNull(l, "recordsBehind", boxed(consumer.recordsBehind()));
            putOrNull(l, "millisBehind", boxed(consumer.millisBehind()));
        }
        ObjectNode planes = json.putObject("planes");
        planeDeadLetters.forEach((plane, count) -> planes.putObject(plane.word()).put("deadLetters", count)
                .put("processed", processed.getOrDefault(plane, 0L)));
        var servicesJson = json.putArray("services");
        for (ServiceSeen service : services) {
            ObjectNode s = servicesJson.addObject().put("service", service.service()).put("instanceId", service.instanceId())
                    .put("river", service.river()).put("started", Timestamps.format(service.started()))
                    .put("lastPublished", Timestamps.format(service.lastPublished())).put("published", service.published());
            s.put("deployed", service.deployed());
            service.lastBatch().ifPresent(b -> s.putObject("lastBatch").put("at", Timestamps.format(b.at()))
                    .put("received", b.received()).put("handled", b.handled()).put("failed", b.failed()));
            service.alive().ifPresentOrElse(a -> s.putObject("alive").put("at", Timestamps.format(a.at()))
                    .put("instanceId", a.instanceId()).put("everyMs", a.every().toMillis()).put("handled", a.handled())
                    .put("failed", a.failed()).put("duplicates", a.duplicates()).put("handlerMs", a.handlerMs()),
                    () -> s.putNull("alive"));
            service.consumes().forEach(s.putArray("consumes")::add);
            service.publishes().forEach(s.putArray("publishes")::add);
        }
        json.set("archive", archiveJson);
        stuck().forEach(json.putArray("stuck")::add);
        return json;
    }

    /** Unknown numbers are null in the JSON, so a reader can tell them from zero. */
    private static void putOrNull(ObjectNode json, String field, Optional<Long> value) {
        if (value.isPresent()) {
            json.put(field, value.get());
        } else {
            json.putNull(field);
        }
    }

    private static Optional<Long> boxed(OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }

    /** The report as aligned tables, one per part, then what looks stuck. */
    public String table() {
        StringBuilder text = new StringBuilder();
        Table riverTable = new Table("RIVER", "TOPICS", "VISIBLE", "IN FLIGHT", "DEAD", "OLDEST");
        for (RiverStatus river : rivers) {
            riverTable.row(river.river().value(), river.topics().stream().map(Topic::value).collect(Collectors.joining(",")),
                    Long.toString(river.visible()), Long.toString(river.inFlight()), Long.toString(river.deadLettered()),
                    river.oldestAge().map(DurationWords::of).orElse(river.visible() == 0 ? "-" : "?"));
        }
        text.append(rivers.isEmpty() ? "no rivers\n" : riverTable.render());
        Table lagTable = new Table("STREAM", "CONSUMER", "SHARD", "BEHIND", "AGE");
        for (ConsumerLag consumer : lag) {
            lagTable.row(consumer.stream(), consumer.consumer(), consumer.shard(),
                    consumer.recordsBehind().isPresent() ? Long.toString(consumer.recordsBehind().getAsLong()) : "?",
                    consumer.millisBehind().isPresent() ? DurationWords.of(Duration.ofMillis(consumer.millisBehind().getAsLong())) : "?");
        }
        text.append('\n').append(lagTable.render());
        Table planeTable = new Table("PLANE", "PROCESSED", "DEAD LETTERS");
        planeDeadLetters.forEach((plane, count) -> planeTable.row(plane.word(),
                Long.toString(processed.getOrDefault(plane, 0L)), Long.toString(count)));
        text.append('\n').append(planeTable.render());
        text.append(Printable.whole(archive)).append('\n');
        if (!services.isEmpty()) {
            Table serviceTable = new Table("SERVICE", "INSTANCE", "RIVER", "STARTED", "LAST PUBLISHED", "EVENTS", "ALIVE",
                    "HANDLED", "FAILED", "DUPLICATES");
            for (ServiceSeen service : services) {
                serviceTable.row(service.service(), service.instanceId(), service.river(),
                        DurationWords.of(Duration.between(service.started(), at)) + " ago",
                        DurationWords.of(Duration.between(service.lastPublished(), at)) + " ago", Long.toString(service.published()),
                        service.deployed() ? "function" + service.lastBatch().map(b -> ", a batch "
                                + DurationWords.of(Duration.between(b.at(), at)) + " ago").orElse("")
                                : service.alive().map(a -> DurationWords.of(Duration.between(a.at(), at)) + " ago").orElse("-"),
                        service.alive().map(a -> Long.toString(a.handled())).orElse("-"),
                        service.alive().map(a -> Long.toString(a.failed())).orElse("-"),
                        service.alive().map(a -> Long.toString(a.duplicates())).orElse("-"));
            }
            // what a service says of itself: any producer could say the same, so it is shown as a claim
            text.append("\nservices, as each says of itself (ServiceStarted, ServiceAlive):\n").append(serviceTable.render());
        } else {
            text.append("\nno services seen (a service says ServiceStarted when it starts)\n");
        }
        List<String> stuck = stuck();
        text.append('\n').append(stuck.isEmpty() ? "nothing stuck\n"
                : stuck.stream().map(s -> "stuck: " + s + "\n").collect(Collectors.joining()));
        return text.toString();
    }
}
