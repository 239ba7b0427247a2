package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands open needs kept in the service's pond: one entry per need ({@code need/<type>/<id>})
 * holding the question, the deadline and the solutions so far, each event as the exact text it arrived
 * as. A solution is added by compare-and-set, so two instances adding solutions to one need at once
 * both get theirs in.
 */
final class PondNeedStore implements NeedStore {
    private final Pond pond;
    private final String prefix;

    PondNeedStore(Pond pond, String solutionType) {
        this.pond = pond;
        this.prefix = "need/" + solutionType + "/";
    }

    @Override
    public void opened(String needId, Event question, Instant deadline) {
        ObjectNode need = Json.object().put("question", question.toJson()).put("deadline", deadline.toString());
        need.putArray("solutions");
        pond.putIfAbsent(prefix + needId, need);
    }

    @Override
    public void solved(String needId, Event solution) {
        while (true) {
            Optional<JsonNode> kept = pond.get(prefix + needId);
            if (kept.isEmpty()) {
                return;
            }
            ObjectNode need = kept.get().deepCopy();
            for (JsonNode each : need.withArray("solutions")) {
                if (Event.parse(each.asText()).id().equals(solution.id())) {
                    return;
                }
            }
            need.withArray("solutions").add(solution.toJson());
            if (pond.compareAndSet(prefix + needId, kept, need, Pond.FOREVER)) {
                return;
            }
        }
    }

    @Override
    public void decided(String needId) {
        pond.remove(prefix + needId);
    }

    @Override
    public List<Stored> open() {
        List<Stored> open = new ArrayList<>();
        pond.withPrefix(prefix).forEach((key, need) -> {
            List<Event> solutions = new ArrayList<>();
            need.path("solutions").forEach(s -> solutions.add(Event.parse(s.asText())));
            open.add(new Stored(key.substring(prefix.length()), Event.parse(need.path("question").asText()),
                    Instant.parse(need.path("deadline").asText()), solutions));
        });
        return open;
    }
}
