package org.rapidsrivers.offers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;

/** A page view's chain tells an offer that came after its last amendment (late) from one never offered. */
class ChainTest {
    private final Event view = Event.builder(Topic.of(Offers.VIEW_PAGE), "site", Json.object().put("user", "Sally")).build();

    @Test
    void anOfferAfterTheLastAmendmentIsLateAndOneNeverOfferedIsNot() {
        Event bundle = bundle(Offers.BUNDLE, "brand baseline", "brand road-warrior", "location baseline");
        Event amendment = bundle(Offers.AMENDED, "location road-warrior");
        List<Event> events = List.of(offer("brand", "baseline"), offer("brand", "road-warrior"), offer("location", "baseline"),
                bundle, offer("location", "road-warrior"), amendment, offer("location", "road-warrior+platinum"));

        OffersScenario.Chain chain = new OffersScenario.Chain(view, events, bundle);

        assertThat(chain.missingWithAmendments()).containsExactly("location road-warrior+platinum");
        assertThat(chain.late()).containsExactly("location road-warrior+platinum");
        OffersScenario.Chain unseen = new OffersScenario.Chain(view, events.subList(0, 6), bundle);
        assertThat(unseen.missingWithAmendments()).containsExactly("location road-warrior+platinum");
        assertThat(unseen.late()).isEmpty();
    }

    private Event offer(String source, String offer) {
        return Event.builder(Topic.of(Offers.OFFER), source, Offers.offer("Sally", offer, source, List.of()))
                .causationId(view.id()).correlationId(view.id()).build();
    }

    private Event bundle(String type, String... offers) {
        ObjectNode payload = Json.object().put("user", "Sally");
        for (String offer : offers) {
            String[] words = offer.split(" ");
            payload.withArray("offers").addObject().put("source", words[0]).put("offer", words[1]);
        }
        return Event.builder(Topic.of(type), "offer-engine", payload).causationId(view.id()).correlationId(view.id()).build();
    }
}
