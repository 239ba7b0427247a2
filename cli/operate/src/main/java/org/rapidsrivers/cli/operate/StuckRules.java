package org.rapidsrivers.cli.operate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.core.operate.ConsumerLag;
import org.rapidsrivers.core.operate.FutureStamp;
import org.rapidsrivers.core.operate.RiverStatus;
import org.rapidsrivers.core.stage.StageOptions;

/**
 * Understands what counts as stuck on a stage, one rule each (docs/operate.md lists them): a river's dead
 * letters; a river with messages waiting that nothing reads (no instance of its service running, no batch
 * of its function lately) for longer than {@link #UNREAD}; a message waiting longer than {@link #PATIENCE}
 * though its service runs; a stream nothing has read for longer than {@link #UNROUTED} (nothing hosts the
 * planes); the planes' dead letters; a service none of whose instances runs, one of them silent; a clock
 * that runs ahead. Each finding is one sentence that says what to do.
 */
final class StuckRules {
    /** A message waiting this long though its service runs counts as stuck. */
    static final Duration PATIENCE = Duration.ofMinutes(5);
    /** Messages waiting this long with nothing to read them count as stuck. */
    static final Duration UNREAD = Duration.ofMinutes(1);
    /** Records on a stream this long without anything reading them: nothing hosts the planes. */
    static final Duration UNROUTED = Duration.ofMinutes(1);

    private StuckRules() {
    }

    static List<String> of(StatusReport report) {
        List<String> stuck = new ArrayList<>();
        for (RiverStatus river : report.rivers()) {
            stuck.addAll(river(river, reader(report, river), report.at()));
        }
        stuck.addAll(streams(report.lag(), report.hostHint()));
        report.planeDeadLetters().forEach((plane, count) -> {
            if (count > 0) {
                stuck.add("the " + plane + " plane gave up on " + count + " message(s): deadletters --plane " + plane
                        + " shows them, redrive --plane " + plane + " puts them back");
            }
        });
        for (ServiceSeen service : report.services()) {
            if (service.instances().stream().noneMatch(InstanceSeen::running)) {
                for (InstanceSeen silent : service.silent()) {
                    stuck.add("service " + service.service() + " (instance " + silent.instanceId() + ") has been silent for "
                            + DurationWords.of(silent.since()) + ", its heartbeat every " + silent.note().every().map(DurationWords::of)
                            .orElse("?") + ", and no other instance runs: is it running?");
                }
            }
        }
        // a business outcome that does not hold is wrong however healthy the queues look
        stuck.addAll(report.monitors().breaches());
        for (FutureStamp stamp : report.stampedAhead()) {
            stuck.add(stamp.describe(DurationWords.of(stamp.ahead())) + ": its clock runs ahead (nothing waits for it:"
                    + " leases go by their renewals, such messages are visible now); set that machine's clock right");
        }
        return stuck;
    }

    /** The service that reads a river: the one of the river's name, or that said it reads it. */
    static Optional<ServiceSeen> reader(StatusReport report, RiverStatus river) {
        String name = river.river().value();
        return report.services().stream().filter(s -> s.service().equals(name)).findFirst()
                .or(() -> report.services().stream().filter(s -> s.river().equals(name)).findFirst());
    }

    static List<String> river(RiverStatus river, Optional<ServiceSeen> reader, Instant now) {
        List<String> stuck = new ArrayList<>();
        String name = river.river().value();
        if (river.deadLettered() > 0) {
            stuck.add("river " + name + " has " + river.deadLettered() + " dead-lettered message(s): deadletters --river " + name
                    + " shows them with their reasons, redrive " + name + " puts them back");
        }
        if (river.visible() == 0) {
            return stuck;
        }
        boolean reading = reader.map(s -> s.reading(now, UNREAD)).orElse(false);
        if (!reading) {
            // how long they have waited, or where a backend cannot tell (SQS), how long nothing has read the river
            Instant lastSign = reader.map(ServiceSeen::lastSign).orElse(Instant.EPOCH);
            Instant since = river.since().filter(made -> made.isAfter(lastSign)).orElse(lastSign);
            Duration waited = river.oldestWaiting().orElseGet(() -> Duration.between(since, now));
            if (waited.compareTo(UNREAD) > 0) {
                stuck.add("river " + name + " has " + river.visible() + " message(s) waiting " + DurationWords.of(waited)
                        + " and nothing reads it: " + why(name, reader, now));
            }
        } else {
            river.oldestWaiting().filter(age -> age.compareTo(PATIENCE) > 0).ifPresent(age -> stuck.add("river " + name
                    + " has a message waiting " + DurationWords.of(age) + " though service " + reader.get().service()
                    + " runs: is its handler stuck? (rr status " + name + " shows its instances)"));
        }
        return stuck;
    }

    private static String why(String river, Optional<ServiceSeen> reader, Instant now) {
        if (reader.isEmpty()) {
            return "no service " + river + " has said it started (start it, or river delete " + river + " if nobody will)";
        }
        ServiceSeen service = reader.get();
        if (service.deployed()) {
            return "its function has handled no batch for " + DurationWords.of(Duration.between(service.lastSign(), now))
                    + " (is its event source mapping enabled? on an emulator, rr --host-planes runs deployed services)";
        }
        return "no instance of service " + service.service() + " runs (the last spoke " + DurationWords.of(Duration.between(
                service.lastSign(), now)) + " ago): start it";
    }

    /** One finding per stream consumer with records older than {@link #UNROUTED} not yet read. */
    static List<String> streams(List<ConsumerLag> lag, String hostHint) {
        Map<String, ConsumerLag> worst = new LinkedHashMap<>();
        Map<String, Integer> behind = new LinkedHashMap<>();
        for (ConsumerLag consumer : lag) {
            if (consumer.millisBehind().orElse(0) > UNROUTED.toMillis()) {
                String key = consumer.stream() + " " + consumer.consumer();
                behind.merge(key, 1, Integer::sum);
                worst.merge(key, consumer, (a, b) -> b.millisBehind().getAsLong() > a.millisBehind().getAsLong() ? b : a);
            }
        }
        List<String> stuck = new ArrayList<>();
        worst.forEach((key, consumer) -> stuck.add("the " + consumer.consumer() + " has not read " + consumer.stream() + " for "
                + DurationWords.of(Duration.ofMillis(consumer.millisBehind().getAsLong())) + " (" + behind.get(key)
                + " shard(s) behind): " + hostHint));
        return stuck;
    }

    /** What to run when nothing hosts the planes, per backend. */
    static String hostHint(String backendKind) {
        return backendKind.equals(StageOptions.EMBEDDED)
                ? "nothing hosts the planes; every rr process of this stage that sends or reads hosts them while it runs"
                        + " (make run, or a service)"
                : "nothing hosts the planes; on an emulator run rr --backend aws --emulator --host-planes shell"
                        + " (it has no Lambda), on AWS deploy them (make deploy)";
    }
}
