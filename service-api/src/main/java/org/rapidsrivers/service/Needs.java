package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rapidsrivers.core.event.Event;

/**
 * Understands need/solution as a protocol: a service states a need (a question with a deadline),
 * collects the solutions other services publish for it until the deadline, then chooses (all,
 * the best by a comparator, the first N) and decides. Solutions belong to a need by the tag
 * {@code needId} that {@link #answer} puts on them, or else by the chain they are in (their
 * correlationId), so an existing event can be treated as a need: the offer engine treats a
 * ViewPage as a need for offers. Needs that got no solution and solutions that came after the
 * decision are counted, and reported to the listener.
 */
public final class Needs {
    public static final String NEED_ID = "needId";

    private final RapidsConnection rapids;
    private final String solutionType;
    private final Duration window;
    private final Choice choice;
    private final DecisionListener listener;
    private final NeedStore store;
    private final Set<String> solutionKeys;
    private final Map<String, Open> open = new HashMap<>();
    private final Map<String, Instant> decided = new LinkedHashMap<>();
    private long opened;
    private long decisions;
    private long unanswered;
    private long late;

    private Needs(RapidsConnection rapids, String solutionType, Duration window, Choice choice, DecisionListener listener,
                  NeedStore store, String... solutionKeys) {
        this.rapids = rapids;
        this.solutionType = solutionType;
        this.window = window;
        this.choice = choice;
        this.listener = listener;
        this.store = store;
        this.solutionKeys = Set.of(solutionKeys);
        River.on(rapids)
                .precondition(rules -> rules.requireType(solutionType))
                .validate(rules -> rules.interestedIn(solutionKeys))
                .register((packet, context) -> solution(packet));
        restore();
    }

    /**
     * Collects solutions of the given type for every need opened here, for {@code window} after each
     * is opened, then chooses among them and tells the listener. {@code solutionKeys} are the payload
     * fields of a solution the listener and the choice read. Open needs and their solutions are kept in
     * the service's pond, so a service restarted during a window finds them and decides them.
     */
    public static Needs collect(RapidsConnection rapids, String solutionType, Duration window, Choice choice,
                                DecisionListener listener, String... solutionKeys) {
        return new Needs(rapids, solutionType, window, choice, listener, NeedStore.inPond(rapids.pond(), solutionType),
                solutionKeys);
    }

    /**
     * The same, keeping open needs and their solutions in the store given ({@link NeedStore#inMemory()}:
     * forgotten when the process ends).
     */
    public static Needs collect(RapidsConnection rapids, String solutionType, Duration window, Choice choice,
                                DecisionListener listener, NeedStore store, String... solutionKeys) {
        return new Needs(rapids, solutionType, window, choice, listener, store, solutionKeys);
    }

    /** Treats an event being handled as a need: its chain's solutions are collected until the deadline. */
    public void open(Packet question, MessageContext context) {
        openNeed(question.correlationId(), question.event());
    }

    /**
     * Publishes a need of its own type with the question as payload and starts collecting; providers
     * answer it with {@link #answer}. Its eventId, which is the need's id.
     */
    public String ask(MessageContext context, String needType, JsonNode question) {
        String id = context.publish(needType, question);
        if (id != null) {
            openNeed(id, context.cause());
        }
        return id;
    }

    /** A provider's one call: answers the need in hand with a solution of the type it asked for. */
    public static String answer(Packet need, MessageContext context, String solutionType, JsonNode solution) {
        return context.publishTagged(solutionType, solution, NEED_ID, need.id());
    }

    public Stats stats() {
        return new Stats(opened, decisions, unanswered, late, open.size());
    }

    private void openNeed(String needId, Event cause) {
        if (open.containsKey(needId) || decided.containsKey(needId)) {
            return;
        }
        Instant deadline = rapids.clock().instant().plus(window);
        store.opened(needId, cause, deadline);
        schedule(new Open(needId, cause, deadline, new LinkedHashMap<>()));
    }

    private void schedule(Open need) {
        open.put(need.id(), need);
        opened++;
        rapids.at(need.deadline(), need.question(), context -> decide(need.id(), context));
    }

    /** The needs a previous run of the service left open, with what they had gathered. */
    private void restore() {
        for (NeedStore.Stored stored : store.open()) {
            Map<String, Packet> solutions = new LinkedHashMap<>();
            stored.solutions().forEach(event -> solutions.put(event.id(), Packet.declared(event, solutionKeys)));
            schedule(new Open(stored.needId(), stored.question(), stored.deadline(), solutions));
        }
    }

    private void solution(Packet packet) {
        String needId = packet.event().tag(NEED_ID).orElse(packet.correlationId());
        Open need = open.get(needId);
        if (need != null) {
            // keyed by eventId: a solution delivered twice counts once
            if (need.solutions().putIfAbsent(packet.id(), packet) == null) {
                store.solved(needId, packet.event());
            }
        } else if (decided.containsKey(needId)) {
            late++;
            listener.onLate(needId, packet);
        }
    }

    private void decide(String needId, MessageContext context) {
        Open need = open.get(needId);
        if (need == null) {
            return;
        }
        List<Packet> solutions = new ArrayList<>(need.solutions().values());
        listener.onDecided(new Decision(needId, need.question(), solutions, choice.choose(solutions)), context);
        // only once the decision's events are out: a decision that could not be published (the stage out of
        // reach, the service killed) is made again, with the same ids, when its timer runs again or after a restart
        context.afterPublished(() -> {
            if (open.remove(needId) != null) {
                decisions++;
                if (solutions.isEmpty()) {
                    unanswered++;
                }
                remember(needId);
                store.decided(needId);
            }
        });
    }

    /** Decided needs are remembered for ten windows, to tell a late solution from a stranger's. */
    private void remember(String needId) {
        Instant now = rapids.clock().instant();
        decided.put(needId, now);
        decided.values().removeIf(at -> at.isBefore(now.minus(window.multipliedBy(10))));
    }

    private record Open(String id, Event question, Instant deadline, Map<String, Packet> solutions) {
    }

    /** Understands what was decided for one need: every solution that came in time, and those chosen. */
    public record Decision(String needId, Event question, List<Packet> solutions, List<Packet> chosen) {
        public boolean unanswered() {
            return solutions.isEmpty();
        }
    }

    /** Understands the counts a need collector reports. */
    public record Stats(long opened, long decided, long unanswered, long late, long open) {
    }

    /** Understands what a service does once a need's deadline has come. */
    @FunctionalInterface
    public interface DecisionListener {
        void onDecided(Decision decision, MessageContext context);

        default void onLate(String needId, Packet solution) {
            System.err.println("warning: solution " + solution.id() + " for need " + needId + " came after the deadline");
        }
    }

    /** Understands how the solutions of a need are chosen. */
    @FunctionalInterface
    public interface Choice {
        List<Packet> choose(List<Packet> solutions);

        static Choice all() {
            return List::copyOf;
        }

        static Choice best(Comparator<Packet> better) {
            return solutions -> solutions.stream().sorted(better.reversed()).limit(1).toList();
        }

        static Choice firstN(int n) {
            return solutions -> solutions.stream().limit(n).toList();
        }
    }
}
