package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/** The README's "write a service" example, compiled and run, so the README cannot drift from the API. */
class GreeterExampleTest {
    /** Greets every user who views a page. */
    static final class Greeter implements Service {
        @Override
        public String name() {
            return "greeter";
        }

        @Override
        public Set<String> publishes() {
            return Set.of("Greeting");
        }

        @Override
        public void start(RapidsConnection rapids) {
            River.on(rapids)
                    .precondition(r -> r.requireType("ViewPage"))
                    .validate(r -> r.requireKey("user"))
                    .register((packet, context) ->
                            context.publish("Greeting", Json.object().put("to", packet.text("user"))));
        }
    }

    @Test
    void greetsWhoeverViewsAPage() {
        TestRapids rapids = new TestRapids().start(new Greeter());

        rapids.send("ViewPage", Json.object().put("user", "Sally"));

        assertThat(rapids.published("Greeting")).singleElement()
                .satisfies(e -> assertThat(e.payload().get("to").asText()).isEqualTo("Sally"));
    }
}
