package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.operate.InstanceNote;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.operate.TrafficNotes;

/**
 * Understands a service as the traffic shows it: what its last {@code ServiceStarted} said (instance, river,
 * what it consumes and publishes, whether it is deployed as a function), when it last published anything and
 * how much, and its instances as each last spoke of itself ({@link InstanceSeen}: running, silent or stopped,
 * each with its own counters). A deployed function runs only while messages arrive, so it has no instances to
 * follow: what it noted of its last batch in its pond says it works.
 */
public record ServiceSeen(String service, String instanceId, String river, List<String> consumes, List<String> publishes,
                          Instant started, Instant lastPublished, long published, boolean deployed, List<InstanceSeen> instances,
                          Optional<LastBatch> lastBatch) {
    /** Understands what a deployed function noted of its last batch in its pond: when, and what came of it. */
    public record LastBatch(Instant at, long received, long handled, long failed) {
        /** The entry as the function writes it, or empty when there is none or it cannot be read. */
        static Optional<LastBatch> of(Optional<JsonNode> entry) {
            try {
                return entry.filter(e -> e.path("at").isTextual()).map(e -> new LastBatch(Instant.parse(e.get("at").asText()),
                        e.path("received").asLong(), e.path("handled").asLong(), e.path("failed").asLong()));
            } catch (RuntimeException unreadable) {
                return Optional.empty();
            }
        }
    }

    /** The same service, with what its function noted of its last batch. */
    public ServiceSeen withLastBatch(Optional<LastBatch> last) {
        return new ServiceSeen(service, instanceId, river, consumes, publishes, started, lastPublished, published, deployed,
                instances, last);
    }

    /** Every service that said it started, sorted by name, with the instances shown at {@code now}. */
    public static List<ServiceSeen> from(List<Traffic> traffic, List<InstanceNote> notes, Instant now) {
        List<InstanceSeen> shown = InstanceSeen.shown(notes, now);
        Map<String, ServiceSeen> services = new TreeMap<>();
        for (Traffic note : traffic) {
            if (!note.type().value().equals(TrafficNotes.SERVICE_STARTED) || note.lastPayload().isEmpty()) {
                continue;
            }
            JsonNode payload;
            try {
                payload = Json.parse(note.lastPayload().get());
            } catch (RuntimeException unreadable) {
                continue;
            }
            String name = payload.path("service").asText(note.domain());
            Instant last = Instant.EPOCH;
            long count = 0;
            for (Traffic other : traffic) {
                if (other.domain().equals(note.domain())) {
                    count += other.count();
                    last = other.last().isAfter(last) ? other.last() : last;
                }
            }
            boolean deployed = payload.path("deployed").asBoolean(false);
            services.put(name, new ServiceSeen(name, payload.path("instanceId").asText(""), payload.path("river").asText(""),
                    texts(payload.path("consumes")), texts(payload.path("publishes")), note.last(), last, count, deployed,
                    deployed ? List.of() : shown.stream().filter(i -> i.service().equals(name)).toList(), Optional.empty()));
        }
        return new ArrayList<>(services.values());
    }

    /** Whether something reads its river now: an instance running, or (deployed) a batch handled within {@code recent}. */
    public boolean reading(Instant now, Duration recent) {
        if (deployed) {
            Instant lastSign = lastBatch.map(LastBatch::at).filter(at -> at.isAfter(started)).orElse(started);
            return Duration.between(lastSign, now).compareTo(recent) <= 0;
        }
        return instances.stream().anyMatch(InstanceSeen::running);
    }

    /** When anything last showed that it reads the river: an instance's last word, or a function's last batch. */
    public Instant lastSign() {
        Instant last = lastBatch.map(LastBatch::at).filter(at -> at.isAfter(started)).orElse(started);
        for (InstanceSeen instance : instances) {
            last = instance.note().lastAt().isAfter(last) ? instance.note().lastAt() : last;
        }
        return last;
    }

    /** The instances that stopped beating without saying they stopped (killed, hung or cut off). */
    public List<InstanceSeen> silent() {
        return instances.stream().filter(i -> i.condition() == InstanceSeen.Condition.SILENT).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }
}
