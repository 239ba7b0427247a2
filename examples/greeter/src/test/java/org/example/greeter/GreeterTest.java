package org.example.greeter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.testing.TestRapids;

class GreeterTest {
    @Test
    void greetsWhoeverViewsAPage() {
        TestRapids rapids = new TestRapids().start(new Greeter());

        rapids.send("ViewPage", Json.object().put("user", "Sally"));

        assertThat(rapids.published("Greeting")).singleElement()
                .satisfies(greeting -> assertThat(greeting.payload().get("text").asText()).isEqualTo("Hello, Sally"));
    }

    @Test
    void aPageViewWithoutAUserIsNotGreeted() {
        TestRapids rapids = new TestRapids().start(new Greeter());

        rapids.send("ViewPage", Json.object().put("page", "/home"));

        assertThat(rapids.published()).isEmpty();
    }

    @Test
    void theSalutationIsASetting() {
        TestRapids rapids = new TestRapids().withSetting("salutation", "Welcome").start(new Greeter());

        rapids.send("ViewPage", Json.object().put("user", "Sally"));

        assertThat(rapids.published("Greeting").get(0).payload().get("text").asText()).isEqualTo("Welcome, Sally");
    }
}
