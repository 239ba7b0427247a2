package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
    /** A decided need is remembered at least this long, to tell a late solution from a stranger's. */
    static final Duration KEEP_DECIDED = Duration.ofMinutes(10);

    private final RapidsConnection rapids;
    private final String reminderKind;
    private final Duration window;
    private final Choice choice;
    private final DecisionListener listener;
    private final NeedBook book;
    private final Set<String> solutionKeys;
    private long opened;
    private long decisions;
    private long unanswered;
    private long late;

    private Needs(RapidsConnection rapids, String solutionType, Duration window, Choice choice, DecisionListener listener,
                  String... solutionKeys) {
        this.rapids = rapids;
        this.reminderKind = "need/" + solutionType;
        this.window = window;
        this.choice = choice;
        this.listener = listener;
        this.book = new NeedBook(rapids.pond(), solutionType, KEEP_DECIDED.plus(window.multipliedBy(10)));
        this.solutionKeys = Set.of(solutionKeys);
        River.on(rapids)
                .precondition(rules -> rules.requireType(solutionType))
                .validate(rules -> rules.interestedIn(solutionKeys))
                .register(this::solution);
        rapids.onReminder(reminderKind, this::decide);
    }

    /**
     * Collects solutions of the given type for every need opened here, for {@code window} after each
     * is opened, then chooses among them and tells the listener. {@code solutionKeys} are the payload
     * fields of a solution the listener and the choice read. Needs live in the service's pond and their
     * deadlines are reminders in its river, so any number of instances act as one: every solution counts
     * once whichever instance received it, each need is decided once, by whichever instance is there at
     * its deadline, and a solution that comes after the decision is late ({@link DecisionListener#onLate}).
     */
    public static Needs collect(RapidsConnection rapids, String solutionType, Duration window, Choice choice,
                                DecisionListener listener, String... solutionKeys) {
        return new Needs(rapids, solutionType, window, choice, listener, solutionKeys);
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

    /** What this instance did; {@code open} counts the needs of every instance not yet decided. */
    public Stats stats() {
        return new Stats(opened, decisions, unanswered, late, book.undecided());
    }

    /**
     * The reminder first, then the need: a crash between the two leaves a reminder that finds nothing
     * (the question comes back and opens the need with a reminder of its own), never a need nobody decides.
     */
    private void openNeed(String needId, Event cause) {
        Instant deadline = rapids.clock().instant().plus(window);
        if (book.get(needId).filter(need -> need.question() != null).isPresent()) {
            return;
        }
        rapids.remind(deadline, cause, reminderKind, needId);
        if (book.open(needId, cause, deadline)) {
            opened++;
        }
    }

    private void solution(Packet packet, MessageContext context) {
        String needId = packet.event().tag(NEED_ID).orElse(packet.correlationId());
        if (book.add(needId, packet.event()) == NeedBook.Added.LATE) {
            late++;
            listener.onLate(needId, packet, context);
        }
    }

    /**
     * At the deadline (on whichever instance receives the reminder) the need's solutions are fixed and
     * the listener decides; the need counts as published only once the decision's events are out, so a
     * decider that dies before that is followed by another with the same solutions and the same eventIds.
     */
    private void decide(String needId, MessageContext context) {
        NeedBook.Need need = book.decide(needId).orElse(null);
        if (need == null) {
            return;
        }
        List<Packet> solutions = new ArrayList<>();
        need.solutions().forEach(event -> solutions.add(Packet.declared(event, solutionKeys)));
        listener.onDecided(new Decision(needId, need.question(), solutions, choice.choose(solutions)), context);
        context.afterPublished(() -> {
            if (book.published(needId)) {
                decisions++;
                if (solutions.isEmpty()) {
                    unanswered++;
                }
            }
        });
    }

    /** Understands what was decided for one need: every solution that came in time, and those chosen. */
    public record Decision(String needId, Event question, List<Packet> solutions, List<Packet> chosen) {
        public boolean unanswered() {
            return solutions.isEmpty();
        }
    }

    /** Understands the counts a need collector reports: this instance's, and the needs still open anywhere. */
    public record Stats(long opened, long decided, long unanswered, long late, long open) {
    }

    /** Understands what a service does once a need's deadline has come. */
    @FunctionalInterface
    public interface DecisionListener {
        void onDecided(Decision decision, MessageContext context);

        /**
         * A solution that came after its need was decided: by default counted and said in one line; a
         * service may publish an amendment instead, in the solution's context.
         */
        default void onLate(String needId, Packet solution, MessageContext context) {
            System.err.println("warning: solution " + solution.id() + " for need " + needId + " came after its decision;"
                    + " it is in no decision");
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
