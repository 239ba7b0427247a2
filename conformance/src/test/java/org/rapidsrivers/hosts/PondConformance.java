package org.rapidsrivers.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.time.ManualClock;

/**
 * The one set of promises every pond keeps (in memory, the embedded stage's database, DynamoDB on moto):
 * JSON values kept as written, expiry, conditional changes that exactly one of two racing writers wins,
 * ponds of two services apart, and bad input refused with one line and nothing written.
 */
abstract class PondConformance {
    protected final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);

    /** The pond of a service on the backend under test, expiring entries by {@link #clock}. */
    protected abstract Pond pond(String service);

    @Test
    void aValueIsKeptAsWrittenNumbersAndAll() {
        Pond pond = pond(service);
        JsonNode value = Json.parse("{\"level\":\"Platinum\",\"since\":1.10,\"big\":123456789012345678.5,\"tags\":[\"a\"]}");

        pond.put("user/Sally", value);

        assertThat(pond.get("user/Sally")).hasValueSatisfying(v -> assertThat(Json.compact(v)).isEqualTo(Json.compact(value)));
        assertThat(pond.get("user/Bob")).isEmpty();
        pond.remove("user/Sally");
        assertThat(pond.get("user/Sally")).isEmpty();
    }

    @Test
    void theFirstOfTwoPutIfAbsentWinsAndTheSecondLearnsTheWinner() {
        Pond pond = pond(service);

        JsonNode first = pond.putIfAbsent("combined/view-1", TextNode.valueOf("event-a"));
        JsonNode second = pond.putIfAbsent("combined/view-1", TextNode.valueOf("event-b"));

        assertThat(first.asText()).isEqualTo("event-a");
        assertThat(second.asText()).isEqualTo("event-a");
    }

    @Test
    void compareAndSetChangesOnlyWhatItExpected() {
        Pond pond = pond(service);
        JsonNode one = TextNode.valueOf("one");
        JsonNode two = TextNode.valueOf("two");

        assertThat(pond.compareAndSet("k", Optional.empty(), one, Pond.FOREVER)).isTrue();
        assertThat(pond.compareAndSet("k", Optional.empty(), two, Pond.FOREVER)).as("it holds one now").isFalse();
        assertThat(pond.compareAndSet("k", Optional.of(two), two, Pond.FOREVER)).as("it does not hold two").isFalse();
        assertThat(pond.compareAndSet("k", Optional.of(one), two, Pond.FOREVER)).isTrue();
        assertThat(pond.get("k")).hasValue(two);
    }

    @Test
    void anEntryPastItsExpiryReadsAsAbsentAndCanBeTakenAgain() {
        Pond pond = pond(service);
        pond.put("seen/1", TextNode.valueOf("x"), Duration.ofMinutes(10));
        pond.put("seen/2", TextNode.valueOf("y"));

        clock.advance(Duration.ofMinutes(10));

        assertThat(pond.get("seen/1")).isEmpty();
        assertThat(pond.withPrefix("seen/")).containsOnlyKeys("seen/2");
        assertThat(pond.putIfAbsent("seen/1", TextNode.valueOf("z"), Duration.ofMinutes(1)).asText()).isEqualTo("z");
        assertThat(pond.compareAndSet("seen/9", Optional.empty(), TextNode.valueOf("n"), Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void byPrefixInKeyOrderAndOnlyThisServices() {
        Pond mine = pond(service);
        Pond other = pond(service + "-other");
        mine.put("need/b", Json.parse("2"));
        mine.put("need/a", Json.parse("1"));
        mine.put("needle", Json.parse("3"));
        other.put("need/c", Json.parse("4"));

        assertThat(mine.withPrefix("need/")).containsExactly(
                Map.entry("need/a", Json.parse("1")), Map.entry("need/b", Json.parse("2")));
        assertThat(other.get("need/a")).isEmpty();
    }

    @Test
    void ofTwoWritersRacingOnOneKeyEachIncrementCountsOnce() throws Exception {
        Pond first = pond(service);
        Pond second = pond(service);
        first.put("count", Json.parse("0"));
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (Pond writer : List.of(first, second)) {
                runs.add(two.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        while (true) {
                            Optional<JsonNode> now = writer.get("count");
                            if (writer.compareAndSet("count", now, Json.parse(Integer.toString(now.orElseThrow().asInt() + 1)),
                                    Pond.FOREVER)) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            two.shutdownNow();
        }
        assertThat(first.get("count")).hasValue(Json.parse("100"));
    }

    @Test
    void badInputIsOneLineAndWritesNothing() {
        Pond pond = pond(service);

        assertThatThrownBy(() -> pond.put("", TextNode.valueOf("x"))).isInstanceOf(InvalidInput.class)
                .hasMessage("a pond key must be 1-512 characters");
        assertThatThrownBy(() -> pond.put("big", TextNode.valueOf("x".repeat(Pond.MAX_VALUE + 1))))
                .isInstanceOf(InvalidInput.class).hasMessageStartingWith("a pond value is at most 350 KiB as JSON");
        assertThatThrownBy(() -> Pond.json("yes please")).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("a pond value must be JSON");
        assertThatThrownBy(() -> pond.put("late", TextNode.valueOf("x"), Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidInput.class).hasMessage("a pond entry cannot be kept for a negative time");
        assertThat(pond.get("big")).isEmpty();
        assertThat(pond.get("late")).isEmpty();
    }
}
