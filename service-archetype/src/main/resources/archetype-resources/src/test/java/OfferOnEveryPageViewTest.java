package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.testing.TestRapids;

class OfferOnEveryPageViewTest {
    @Test
    void offersToWhoeverViewsAPage() {
        TestRapids rapids = new TestRapids().start(new OfferOnEveryPageView());

        rapids.send("ViewPage", Json.object().put("user", "Sally"));

        assertThat(rapids.published("Offer")).singleElement().satisfies(offer -> {
            assertThat(offer.payload().get("user").asText()).isEqualTo("Sally");
            assertThat(offer.payload().get("source").asText()).isEqualTo("${service}");
        });
    }

    @Test
    void aPageViewWithoutAUserGetsNoOffer() {
        TestRapids rapids = new TestRapids().start(new OfferOnEveryPageView());

        rapids.send("ViewPage", Json.object().put("page", "/home"));

        assertThat(rapids.published()).isEmpty();
    }
}
