package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
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
import org.rapidsrivers.service.NeedStore;

/** Open needs in a pond, as two instances of one service share them. */
class PondNeedStoreTest {
    private final Pond pond = Pond.inMemory(Clock.systemUTC());
    private final Event question = Event.builder(Topic.of("ViewPage"), "test", Json.object().put("user", "Sally")).build();

    @Test
    void solutionsFromManyInstancesAtOnceAreAllKeptAndEachOnce() throws Exception {
        NeedStore first = NeedStore.inPond(pond, "Offer");
        NeedStore second = NeedStore.inPond(pond, "Offer");
        first.opened("n1", question, Instant.parse("2026-11-29T12:00:00Z"));
        List<Event> solutions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            solutions.add(Event.builder(Topic.of("Offer"), "test", Json.object().put("offer", "o" + i)).build());
        }
        ExecutorService instances = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (NeedStore store : List.of(first, second)) {
                done.add(instances.submit(() -> {
                    go.await();
                    solutions.forEach(solution -> store.solved("n1", solution));  // both see every solution
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

        assertThat(second.open()).singleElement().satisfies(need -> {
            assertThat(need.question().id()).isEqualTo(question.id());
            assertThat(need.solutions()).extracting(Event::id).containsExactlyInAnyOrderElementsOf(
                    solutions.stream().map(Event::id).toList());
        });
    }

    @Test
    void needsOfTwoSolutionTypesAreKeptApartAndADecidedOneIsGone() {
        NeedStore offers = NeedStore.inPond(pond, "Offer");
        NeedStore quotes = NeedStore.inPond(pond, "Quote");
        offers.opened("n1", question, Instant.parse("2026-11-29T12:00:00Z"));
        quotes.opened("n2", question, Instant.parse("2026-11-29T12:00:00Z"));

        assertThat(offers.open()).extracting(NeedStore.Stored::needId).containsExactly("n1");
        assertThat(quotes.open()).extracting(NeedStore.Stored::needId).containsExactly("n2");
        offers.decided("n1");
        assertThat(offers.open()).isEmpty();
        assertThat(quotes.open()).hasSize(1);
    }
}
