package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/** A replayed event as a service sees it: marked with its generation, and what it causes has ids new to everyone. */
class ReplayTest {
    private final List<Long> seen = new ArrayList<>();

    private final Service greeter = new Service() {
        public String name() {
            return "greeter";
        }

        public Set<String> publishes() {
            return Set.of("Greeting");
        }

        public void start(RapidsConnection rapids) {
            River.on(rapids).precondition(rules -> rules.requireType("ViewPage")).register((packet, context) -> {
                seen.add(packet.replay());
                context.publish("Greeting", Json.object().put("text", "Hello"));
            });
        }
    };

    @Test
    void aReplayedEventIsMarkedAndWhatItCausesGetsIdsOfItsGeneration() {
        TestRapids rapids = new TestRapids().start(greeter);
        Event view = rapids.send("ViewPage", Json.object().put("user", "Sally"));
        String live = rapids.published("Greeting").get(0).id();

        String first = rapids.replay("greeter", view, 1).get(0).id();
        String firstAgain = rapids.replay("greeter", view, 1).get(0).id();
        String second = rapids.replay("greeter", view, 2).get(0).id();

        assertThat(seen).containsExactly(0L, 1L, 1L, 2L);
        assertThat(first).as("new to every service").isNotEqualTo(live);
        assertThat(firstAgain).as("the same replay twice is the same event twice: de-duplicated downstream").isEqualTo(first);
        assertThat(second).isNotIn(live, first);
        assertThat(rapids.published("Greeting")).hasSize(4).allSatisfy(greeting -> {
            assertThat(greeting.causationId()).contains(view.id());
            assertThat(greeting.correlationId()).contains(view.id());
        });
    }

    @Test
    void aReplayNamesAServiceThatRunsAndAGenerationOfOneOrMore() {
        TestRapids rapids = new TestRapids().start(greeter);
        Event view = Event.builder(Topic.of("ViewPage"), "S", Json.object()).build();

        assertThatThrownBy(() -> rapids.replay("nobody", view, 1)).hasMessage("no service nobody was started on these rapids");
        assertThatThrownBy(() -> rapids.replay("greeter", view, 0)).hasMessageContaining("generation is 1 or more");
    }
}
