package org.rapidsrivers.offers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.NeedStore;

/**
 * Understands open needs kept in a pond: one entry per need ({@code need/<id>}) holding the question,
 * the deadline and the solutions so far, each event as the exact text it arrived as.
 */
final class PondNeedStore implements NeedStore {
    private static final String PREFIX = "need/";
    private final Pond pond;

    PondNeedStore(Pond pond) {
        this.pond = pond;
    }

    @Override
    public synchronized void opened(String needId, Event question, Instant deadline) {
        ObjectNode need = Json.object().put("question", question.toJson()).put("deadline", deadline.toString());
        need.putArray("solutions");
        pond.putIfAbsent(PREFIX + needId, Json.compact(need));
    }

    @Override
    public synchronized void solved(String needId, Event solution) {
        pond.get(PREFIX + needId).ifPresent(text -> {
            ObjectNode need = (ObjectNode) Json.parse(text);
            for (JsonNode kept : need.withArray("solutions")) {
                if (Event.parse(kept.asText()).id().equals(solution.id())) {
                    return;
                }
            }
            need.withArray("solutions").add(solution.toJson());
            pond.put(PREFIX + needId, Json.compact(need));
        });
    }

    @Override
    public synchronized void decided(String needId) {
        pond.remove(PREFIX + needId);
    }

    @Override
    public synchronized List<Stored> open() {
        List<Stored> open = new ArrayList<>();
        pond.withPrefix(PREFIX).forEach((key, text) -> {
            JsonNode need = Json.parse(text);
            List<Event> solutions = new ArrayList<>();
            need.path("solutions").forEach(s -> solutions.add(Event.parse(s.asText())));
            open.add(new Stored(key.substring(PREFIX.length()), Event.parse(need.path("question").asText()),
                    Instant.parse(need.path("deadline").asText()), solutions));
        });
        return open;
    }
}
