package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.operate.TrafficNotes;

/**
 * Understands a service as the traffic shows it: what its last {@code ServiceStarted} said (instance,
 * river, what it consumes and publishes) and when it last published anything, and how much.
 */
public record ServiceSeen(String service, String instanceId, String river, List<String> consumes, List<String> publishes,
                          Instant started, Instant lastPublished, long published) {

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
            for (Traffic other : traffic) {
                if (other.domain().equals(note.domain())) {
                    count += other.count();
                    last = other.last().isAfter(last) ? other.last() : last;
                }
            }
            services.put(name, new ServiceSeen(name, payload.path("instanceId").asText(""), payload.path("river").asText(""),
                    texts(payload.path("consumes")), texts(payload.path("publishes")), note.last(), last, count));
        }
        return new ArrayList<>(services.values());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }
}
