package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands the needs of one solution type as the service's pond keeps them ({@code need/<type>/<id>}):
 * the question, the deadline, the solutions so far (each event as the exact text it arrived as) and where
 * the need stands: open, decided (its solutions fixed), or published. Every change is a compare-and-set,
 * so any number of instances act as one: a solution is added once whichever instance received it, a
 * need is decided once with exactly the solutions it had, and one that comes after that is late.
 */
final class NeedBook {
    /** Where a need stands. */
    enum State { OPEN, DECIDED, PUBLISHED }

    /** What adding a solution came to. */
    enum Added { ADDED, AGAIN, LATE }

    /** Understands one need as kept (question and deadline are null while only its solutions have come). */
    record Need(String id, Event question, Instant deadline, List<Event> solutions, State state) {
    }

    private final Pond pond;
    private final String prefix;
    private final Duration keepDecided;

    NeedBook(Pond pond, String solutionType, Duration keepDecided) {
        this.pond = pond;
        this.prefix = "need/" + solutionType + "/";
        this.keepDecided = keepDecided;
    }

    /**
     * Opens the need unless its question is there already (a question handled again); true when this
     * opened it. Solutions that came before the question (another instance was quicker) are kept.
     */
    boolean open(String needId, Event question, Instant deadline) {
        while (true) {
            Optional<JsonNode> kept = pond.get(key(needId));
            if (kept.isPresent() && kept.get().has("question")) {
                return false;
            }
            ObjectNode need = kept.map(k -> (ObjectNode) k.deepCopy()).orElseGet(() -> {
                ObjectNode fresh = Json.object().put("state", State.OPEN.name());
                fresh.putArray("solutions");
                return fresh;
            });
            need.put("question", question.toJson()).put("deadline", deadline.toString());
            if (pond.compareAndSet(key(needId), kept, need, Pond.FOREVER)) {
                return true;
            }
        }
    }

    Added add(String needId, Event solution) {
        while (true) {
            Optional<JsonNode> kept = pond.get(key(needId));
            if (kept.isEmpty()) {
                // before its question (another instance has it in hand), or of a chain that is no need of
                // ours: kept for a while, forgotten unless a question comes
                ObjectNode early = Json.object().put("state", State.OPEN.name());
                early.putArray("solutions").add(solution.toJson());
                if (pond.compareAndSet(key(needId), kept, early, keepDecided)) {
                    return Added.ADDED;
                }
                continue;
            }
            Need need = need(needId, kept.get());
            if (need.solutions().stream().anyMatch(s -> s.id().equals(solution.id()))) {
                return Added.AGAIN;
            }
            if (need.state() != State.OPEN) {
                return Added.LATE;
            }
            ObjectNode changed = kept.get().deepCopy();
            changed.withArray("solutions").add(solution.toJson());
            if (pond.compareAndSet(key(needId), kept, changed, Pond.FOREVER)) {
                return Added.ADDED;
            }
        }
    }

    /**
     * Fixes an open need's solutions and gives it to be decided; a need decided but not yet published (its
     * decider died) is given again with the same solutions; a published or unknown one gives nothing.
     */
    Optional<Need> decide(String needId) {
        while (true) {
            Optional<JsonNode> kept = pond.get(key(needId));
            if (kept.isEmpty()) {
                return Optional.empty();
            }
            Need need = need(needId, kept.get());
            if (need.question() == null) {
                return Optional.empty();
            }
            switch (need.state()) {
                case PUBLISHED:
                    return Optional.empty();
                case DECIDED:
                    return Optional.of(need);
                default:
                    ObjectNode decided = ((ObjectNode) kept.get().deepCopy()).put("state", State.DECIDED.name());
                    if (pond.compareAndSet(key(needId), kept, decided, Pond.FOREVER)) {
                        return Optional.of(need(needId, decided));
                    }
            }
        }
    }

    /** The decision is on the rapids: the need is kept a while longer, to tell a late solution from a stranger's. */
    boolean published(String needId) {
        while (true) {
            Optional<JsonNode> kept = pond.get(key(needId));
            if (kept.isEmpty() || !State.DECIDED.name().equals(kept.get().path("state").asText())) {
                return false;
            }
            ObjectNode published = ((ObjectNode) kept.get().deepCopy()).put("state", State.PUBLISHED.name());
            if (pond.compareAndSet(key(needId), kept, published, keepDecided)) {
                return true;
            }
        }
    }

    Optional<Need> get(String needId) {
        return pond.get(key(needId)).map(kept -> need(needId, kept));
    }

    /** How many needs are open or decided but not yet published. */
    long undecided() {
        return pond.withPrefix(prefix).values().stream()
                .filter(need -> !State.PUBLISHED.name().equals(need.path("state").asText())).count();
    }

    private String key(String needId) {
        return prefix + needId;
    }

    private static Need need(String needId, JsonNode kept) {
        List<Event> solutions = new ArrayList<>();
        ((ArrayNode) kept.path("solutions")).forEach(s -> solutions.add(Event.parse(s.asText())));
        boolean asked = kept.has("question");
        return new Need(needId, asked ? Event.parse(kept.path("question").asText()) : null,
                asked ? Instant.parse(kept.path("deadline").asText()) : null, solutions,
                State.valueOf(kept.path("state").asText(State.OPEN.name())));
    }
}
