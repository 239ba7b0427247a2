package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * Understands the answer to "is anything stuck?" for one stage: every river, every stream consumer per
 * shard, the planes' dead letters and the services seen, each instance on its own row; as a table for people
 * or one JSON document, with the list of what looks stuck ({@link StuckRules}). Focused on some rivers
 * ({@code status <river>}), it shows those rivers, their services and what is stuck about them only.
 */
public record StatusReport(String stage, Instant at, List<RiverStatus> rivers, List<ConsumerLag> lag,
                           Map<Plane, Long> planeDeadLetters, Map<Plane, Long> processed, List<ServiceSeen> services,
                           List<FutureStamp> stampedAhead, String archive, ObjectNode archiveJson, String hostHint,
                           boolean focused, MonitorsReport monitors) {
    public static StatusReport of(Backend backend, List<RiverName> wanted, Clock clock) {
        Operations operations = backend.operations();
        Instant now = clock.instant();
        List<Traffic> traffic = operations.traffic();
        // a deployed function has no heartbeat: what it noted of its last batch in its pond says it works
        List<ServiceSeen> services = ServiceSeen.from(traffic, operations.instances(), now).stream()
                .map(s -> s.deployed() ? s.withLastBatch(lastBatch(backend, s.service())) : s).toList();
        String hint = StuckRules.hostHint(backend.kind());
        if (!wanted.isEmpty()) {
            List<RiverStatus> rivers = wanted.stream().map(operations::river).toList();
            List<String> names = rivers.stream().map(r -> r.river().value()).toList();
            return new StatusReport(backend.stage().value(), now, rivers, List.of(), Map.of(), Map.of(),
                    services.stream().filter(s -> names.contains(s.service()) || names.contains(s.river())).toList(),
                    List.of(), "", Json.object(), hint, true, MonitorsReport.of(backend, now));
        }
        Map<Plane, Long> dead = new EnumMap<>(Plane.class);
        for (Plane plane : Plane.values()) {
            dead.put(plane, operations.planeDeadLetterCount(plane));
        }
        // what the planes did, from the fan-out's notes: every event it routed, and among them the
        // control plane's outcomes (one per command applied or rejected)
        Map<Plane, Long> processed = new EnumMap<>(Plane.class);
        processed.put(Plane.FANOUT, traffic.stream().mapToLong(Traffic::count).sum());
        // on AWS from the control plane's own ledger: outcome events on the rapids could come from anyone
        processed.put(Plane.CONTROL, operations.outcomesRecorded().orElseGet(() -> traffic.stream()
                .filter(t -> t.domain().equals(CommandOutcome.DOMAIN)).mapToLong(Traffic::count).sum()));
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
        return new StatusReport(backend.stage().value(), now, operations.rivers(), operations.lag(), dead, processed,
                services, operations.stampedAhead(), archive, archiveJson, hint, false, monitors(backend, now));
    }

    /** The monitors, or none with the reason in the log of a pond that cannot be read (the rest matters as much). */
    private static MonitorsReport monitors(Backend backend, Instant now) {
        try {
            return MonitorsReport.of(backend, now);
        } catch (RuntimeException unreadable) {
            return new MonitorsReport(now, List.of(), List.of("the monitors cannot be read: " + unreadable.getMessage()));
        }
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
        return StuckRules.of(this);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object().put("stage", stage).put("at", Timestamps.format(at));
        if (focused) {
            json.put("focused", true);
        }
        var riversJson = json.putArray("rivers");
        for (RiverStatus river : rivers) {
            ObjectNode r = riversJson.addObject().put("river", river.river().value());
            var topics = r.putArray("topics");
            river.topics().forEach(t -> topics.add(t.value()));
            if (!river.filters().isEmpty()) {
                ObjectNode filters = r.putObject("filters");
                river.filters().forEach((topic, filter) -> filters.put(topic.value(), filter));
            }
            r.put("visible", river.visible()).put("inFlight", river.inFlight()).put("deadLettered", river.deadLettered());
            putOrNull(r, "oldestAgeMs", river.oldestAge().map(Duration::toMillis));
            putOrNull(r, "oldestWaitingMs", river.oldestWaiting().map(Duration::toMillis));
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
            var instances = s.putArray("instances");
            for (InstanceSeen instance : service.instances()) {
                ObjectNode i = instances.addObject().put("instanceId", instance.instanceId())
                        .put("state", instance.condition().word())
                        .put("startedAt", Timestamps.format(instance.note().startedAt()))
                        .put("lastAt", Timestamps.format(instance.note().lastAt()));
                instance.note().every().ifPresent(every -> i.put("everyMs", every.toMillis()));
                putOrNull(i, "handled", instance.handled());
                putOrNull(i, "failed", instance.failed());
                putOrNull(i, "duplicates", instance.duplicates());
            }
            service.consumes().forEach(s.putArray("consumes")::add);
            service.publishes().forEach(s.putArray("publishes")::add);
        }
        if (!focused) {
            json.set("archive", archiveJson);
        }
        json.set("monitors", monitors.toJson());
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
            riverTable.row(river.river().value(), river.topics().stream().map(river::describe).collect(Collectors.joining(",")),
                    Long.toString(river.visible()), Long.toString(river.inFlight()), Long.toString(river.deadLettered()),
                    river.oldestAge().map(DurationWords::of).orElse(river.visible() + river.inFlight() == 0 ? "-" : "?"));
        }
        text.append(rivers.isEmpty() ? "no rivers\n" : riverTable.render());
        if (!focused) {
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
        }
        text.append(serviceTable());
        if (!monitors.none() || !monitors.unreadable().isEmpty()) {
            text.append('\n').append(monitors.text());
        }
        List<String> stuck = stuck();
        text.append('\n').append(stuck.isEmpty() ? "nothing stuck\n"
                : stuck.stream().map(s -> "stuck: " + s + "\n").collect(Collectors.joining()));
        return text.toString();
    }

    /** One row per instance of a process, one per deployed function. */
    private String serviceTable() {
        if (services.stream().noneMatch(s -> s.deployed() || !s.instances().isEmpty())) {
            return "\nno services running or stopped within the hour (a service says ServiceStarted when it starts)\n";
        }
        Table serviceTable = new Table("SERVICE", "INSTANCE", "STATE", "STARTED", "LAST WORD", "HANDLED", "FAILED", "DUPLICATES");
        for (ServiceSeen service : services) {
            if (service.deployed()) {
                serviceTable.row(service.service(), "-", "function" + service.lastBatch().map(b -> ", a batch "
                                + DurationWords.of(Duration.between(b.at(), at)) + " ago").orElse(""),
                        ago(service.started()), ago(service.lastPublished()),
                        service.lastBatch().map(b -> Long.toString(b.handled())).orElse("-"),
                        service.lastBatch().map(b -> Long.toString(b.failed())).orElse("-"), "-");
                continue;
            }
            // one whose instances all stopped over an hour ago is history (the topology still draws it)
            for (InstanceSeen instance : service.instances()) {
                serviceTable.row(service.service(), instance.instanceId(), instance.describe(), ago(instance.note().startedAt()),
                        ago(instance.note().lastAt()), count(instance.handled()), count(instance.failed()),
                        count(instance.duplicates()));
            }
        }
        // what a service says of itself: any producer could say the same, so it is shown as a claim
        return "\nservice instances, as each says of itself (ServiceStarted, ServiceAlive, ServiceStopped):\n"
                + serviceTable.render();
    }

    private String ago(Instant then) {
        return DurationWords.of(Duration.between(then, at)) + " ago";
    }

    private static String count(Optional<Long> value) {
        return value.map(String::valueOf).orElse("-");
    }
}
