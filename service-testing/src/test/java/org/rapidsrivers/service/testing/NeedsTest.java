package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.service.MessageContext;
import org.rapidsrivers.service.Needs;
import org.rapidsrivers.service.Packet;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;

/** Need/solution: solutions collected until the deadline, then chosen; late and missing ones counted. */
class NeedsTest {
    private final TestRapids rapids = new TestRapids();
    private final RapidsConnection asker = rapids.connection("asker");
    private final List<Needs.Decision> decisions = new ArrayList<>();
    private final List<String> late = new ArrayList<>();

    private Needs collect(Needs.Choice choice) {
        return Needs.collect(asker, "Quote", Duration.ofSeconds(2), choice, new Needs.DecisionListener() {
            @Override
            public void onDecided(Needs.Decision decision, MessageContext context) {
                decisions.add(decision);
                context.publish("Decided", Json.object().put("chosen", decision.chosen().size()));
            }

            @Override
            public void onLate(String needId, Packet solution, MessageContext context) {
                late.add(solution.text("price"));
            }
        }, "price");
    }

    @Test
    void solutionsOfTheChainAreCollectedUntilTheDeadlineThenChosenAndLateOnesCounted() {
        Needs needs = collect(Needs.Choice.best(Comparator.comparing((Packet p) -> -p.get("price").asInt())));
        River.on(asker).precondition(r -> r.requireType("Trip")).register(needs::open);
        Event trip = Event.builder(Topic.of("Trip"), "user", "{}").build();
        rapids.send(trip);

        rapids.send(quote(trip, 300));
        rapids.advance(Duration.ofMillis(1500));
        rapids.send(quote(trip, 200));
        rapids.send(quote(trip, 200)); // the same price from another provider
        assertThat(decisions).isEmpty();
        rapids.advance(Duration.ofMillis(500));
        rapids.send(quote(trip, 100));

        assertThat(decisions).singleElement().satisfies(decision -> {
            assertThat(decision.needId()).isEqualTo(trip.id());
            assertThat(decision.solutions()).hasSize(3);
            assertThat(decision.chosen()).extracting(p -> p.text("price")).containsExactly("200");
        });
        assertThat(late).containsExactly("100");
        assertThat(needs.stats()).isEqualTo(new Needs.Stats(1, 1, 0, 1, 0));
        Event decided = rapids.published("Decided").get(0);
        assertThat(decided.causationId()).contains(trip.id());
        assertThat(decided.correlationId()).contains(trip.id());
    }

    @Test
    void aSolutionDeliveredTwiceCountsOnce() {
        Needs needs = collect(Needs.Choice.all());
        River.on(asker).precondition(r -> r.requireType("Trip")).register(needs::open);
        Event trip = Event.builder(Topic.of("Trip"), "user", "{}").build();
        rapids.send(trip);
        Event quote = quote(trip, 300);

        rapids.send(quote);
        rapids.send(quote);
        rapids.advance(Duration.ofSeconds(2));

        assertThat(decisions.get(0).solutions()).hasSize(1);
    }

    @Test
    void aNeedNobodyAnswersIsDecidedEmptyAndCountedUnanswered() {
        Needs needs = collect(Needs.Choice.firstN(2));
        River.on(asker).precondition(r -> r.requireType("Trip")).register(needs::open);

        rapids.send("Trip", Json.object());
        rapids.advance(Duration.ofSeconds(5));

        assertThat(decisions).singleElement().satisfies(d -> assertThat(d.unanswered()).isTrue());
        assertThat(needs.stats().unanswered()).isEqualTo(1);
    }

    @Test
    void anAskedNeedIsAnsweredByProvidersWithOneCall() {
        Needs needs = collect(Needs.Choice.firstN(2));
        River.on(asker).precondition(r -> r.requireType("Trip"))
                .register((packet, context) -> needs.ask(context, "QuoteWanted", Json.object().put("to", "Oslo")));
        RapidsConnection provider = rapids.connection("provider");
        River.on(provider).precondition(r -> r.requireType("QuoteWanted")).validate(r -> r.requireKey("to"))
                .register((need, context) -> Needs.answer(need, context, "Quote", Json.object().put("price", 120)));
        RapidsConnection another = rapids.connection("another");
        River.on(another).precondition(r -> r.requireType("QuoteWanted"))
                .register((need, context) -> Needs.answer(need, context, "Quote", Json.object().put("price", 90)));

        rapids.send("Trip", Json.object());
        rapids.advance(Duration.ofSeconds(2));

        Event wanted = rapids.published("QuoteWanted").get(0);
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.needId()).isEqualTo(wanted.id());
            assertThat(d.chosen()).extracting(p -> p.text("price")).containsExactly("120", "90");
        });
        assertThat(rapids.published("Quote")).allSatisfy(q -> assertThat(q.tag(Needs.NEED_ID)).contains(wanted.id()));
    }

    private static Event quote(Event trip, int price) {
        return Event.builder(Topic.of("Quote"), "provider", Json.object().put("price", price))
                .correlationId(trip.id()).causationId(trip.id()).build();
    }
}
