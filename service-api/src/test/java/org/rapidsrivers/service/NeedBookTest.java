package org.rapidsrivers.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Pond;

/** Needs in a pond as instances of one service share them: every solution once, one decision, the rest late. */
class NeedBookTest {
    private final Pond pond = Pond.inMemory(Clock.systemUTC());
    private final Event question = Event.builder(Topic.of("ViewPage"), "test", Json.object().put("user", "Sally")).build();
    private final Instant deadline = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void solutionsAddedByTwoInstancesAtOnceAreAllKeptAndEachOnce() throws Exception {
        NeedBook first = new NeedBook(pond, "Offer", Duration.ofMinutes(10));
        NeedBook second = new NeedBook(pond, "Offer", Duration.ofMinutes(10));
        first.open("n1", question, deadline);
        List<Event> solutions = offers(200);
        ExecutorService instances = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (NeedBook book : List.of(first, second)) {
                done.add(instances.submit(() -> {
                    go.await();
                    solutions.forEach(solution -> book.add("n1", solution)); // both are given every solution
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            instances.shutdownNow();
        }

        assertThat(second.get("n1")).get().satisfies(need -> assertThat(need.solutions()).extracting(Event::id)
                .containsExactlyInAnyOrderElementsOf(solutions.stream().map(Event::id).toList()));
    }

    @Test
    void aNeedIsDecidedWithTheSolutionsItHadAndWhatComesAfterIsLate() {
        NeedBook book = new NeedBook(pond, "Offer", Duration.ofMinutes(10));
        List<Event> offers = offers(3);
        book.open("n1", question, deadline);
        assertThat(book.add("n1", offers.get(0))).isEqualTo(NeedBook.Added.ADDED);
        assertThat(book.add("n1", offers.get(0))).isEqualTo(NeedBook.Added.AGAIN);

        NeedBook.Need decided = book.decide("n1").orElseThrow();
        assertThat(decided.solutions()).extracting(Event::id).containsExactly(offers.get(0).id());
        assertThat(book.add("n1", offers.get(1))).as("after the decision").isEqualTo(NeedBook.Added.LATE);
        // its decider died before publishing: the next one decides it again, with the same solutions
        assertThat(book.decide("n1")).get().extracting(NeedBook.Need::solutions).isEqualTo(decided.solutions());

        assertThat(book.published("n1")).isTrue();
        assertThat(book.decide("n1")).as("published: never decided again").isEmpty();
        assertThat(book.add("n1", offers.get(2))).isEqualTo(NeedBook.Added.LATE);
        assertThat(book.undecided()).isZero();
    }

    @Test
    void solutionsBeforeTheirQuestionAreKeptForIt() {
        NeedBook book = new NeedBook(pond, "Offer", Duration.ofMinutes(10));
        List<Event> offers = offers(2);
        assertThat(book.add("n1", offers.get(0))).isEqualTo(NeedBook.Added.ADDED);
        assertThat(book.decide("n1")).as("no question yet: nothing to decide").isEmpty();

        assertThat(book.open("n1", question, deadline)).isTrue();
        assertThat(book.open("n1", question, deadline)).as("the question handled again").isFalse();
        book.add("n1", offers.get(1));

        assertThat(book.decide("n1")).get().satisfies(need -> {
            assertThat(need.question().id()).isEqualTo(question.id());
            assertThat(need.solutions()).hasSize(2);
        });
    }

    @Test
    void needsOfTwoSolutionTypesAreKeptApart() {
        NeedBook offers = new NeedBook(pond, "Offer", Duration.ofMinutes(10));
        NeedBook quotes = new NeedBook(pond, "Quote", Duration.ofMinutes(10));
        offers.open("n1", question, deadline);

        assertThat(quotes.get("n1")).isEmpty();
        assertThat(offers.undecided()).isEqualTo(1);
        assertThat(quotes.undecided()).isZero();
    }

    private static List<Event> offers(int n) {
        List<Event> offers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            offers.add(Event.builder(Topic.of("Offer"), "test", Json.object().put("offer", "o" + i)).build());
        }
        return offers;
    }
}
