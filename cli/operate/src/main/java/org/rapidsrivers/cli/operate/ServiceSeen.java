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
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.operate.TrafficNotes;

/**
 * Understands a service as the traffic shows it: what its last {@code ServiceStarted} said (instance,
 * river, what it consumes and publishes, whether it is deployed as a function), when it last published
 * anything and how much, and what its last {@code ServiceAlive} heartbeat said (when, how often it beats,
 * its river's counters). A process that stops beating for three intervals is silent: stuck or gone. A
 * deployed function runs only while messages arrive, so it has no heartbeat and is never silent for that.
 */
public record ServiceSeen(String service, String instanceId, String river, List<String> consumes, List<String> publishes,
                          Instant started, Instant lastPublished, long published, boolean deployed, Optional<Alive> alive,
                          Optional<LastBatch> lastBatch) {
    /** Beats missed before a running service counts as silent. */
    public static final int MISSED_BEATS = 3;

    /** Understands one heartbeat: when, how often they come, and the counters of the instance that sent it. */
    public record Alive(Instant at, String instanceId, Duration every, long handled, long failed, long duplicates, long handlerMs) {
    }

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
        return new ServiceSeen(service, instanceId, river, consumes, publishes, started, lastPublished, published, deployed, alive, last);
    }

    /** Every service that said it started, sorted by name. */
    public static List<ServiceSeen> from(List<Traffic> traffic) {
        Map<String, ServiceSeen> services = new TreeMap<>();
        for (Traffic note : traffic) {
            if (!note.type().value().equals(TrafficNotes.SERVICE_STARTED) || note.lastPayload().isEmpty()) {
                continue;
            }
            JsonNode payload = Json.parse(note.lastPayload().get());
            String name = payload.path("service").asText(note.domain());
            Instant last = Instant.EPOCH;
            long count = 0;
            Optional<Alive> alive = Optional.empty();
            for (Traffic other : traffic) {
                if (other.domain().equals(note.domain())) {
                    count += other.count();
                    last = other.last().isAfter(last) ? other.last() : last;
                    if (other.type().value().equals(TrafficNotes.SERVICE_ALIVE) && other.lastPayload().isPresent()) {
                        alive = alive(other);
                    }
                }
            }
            services.put(name, new ServiceSeen(name, payload.path("instanceId").asText(""), payload.path("river").asText(""),
                    texts(payload.path("consumes")), texts(payload.path("publishes")), note.last(), last, count,
                    payload.path("deployed").asBoolean(false), alive, Optional.empty()));
        }
        return new ArrayList<>(services.values());
    }

    /**
     * How long a running service has not said it is alive, when that is longer than {@link #MISSED_BEATS} of its
     * heartbeats (counted from its start if it never beat); empty for one that beats, or a deployed function.
     */
    public Optional<Duration> silentFor(Instant now) {
        if (deployed || alive.isEmpty()) {
            return Optional.empty();
        }
        Alive beat = alive.get();
        Instant lastSign = beat.at().isAfter(started) ? beat.at() : started;
        Duration silent = Duration.between(lastSign, now);
        return silent.compareTo(beat.every().multipliedBy(MISSED_BEATS)) > 0 ? Optional.of(silent) : Optional.empty();
    }

    private static Optional<Alive> alive(Traffic note) {
        try {
            JsonNode beat = Json.parse(note.lastPayload().get());
            long every = beat.path("everyMs").asLong(0);
            if (every <= 0) {
                return Optional.empty();
            }
            return Optional.of(new Alive(note.last(), beat.path("instanceId").asText(""), Duration.ofMillis(every),
                    beat.path("handled").asLong(0), beat.path("failed").asLong(0), beat.path("duplicates").asLong(0),
                    beat.path("handlerMs").asLong(0)));
        } catch (RuntimeException unreadable) {
            // a heartbeat is anyone's text: one that cannot be read is no sign of life
            return Optional.empty();
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }
}
