package org.rapidsrivers.offers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.rapidsrivers.core.DurationText;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.MessageContext;
import org.rapidsrivers.service.Needs;
import org.rapidsrivers.service.Packet;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/**
 * Understands a page view as a need for offers: it collects the Offer solutions of the view's chain
 * for a window, then publishes one OfferBundle with every offer, its source and its basis; an offer
 * that comes after the bundle goes out in an OfferBundleAmended. Needs live in its pond and deadlines
 * in its river, so any number of engines, restarted or killed at any time, bundle each view once.
 */
public final class OfferEngine implements Service {
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(2);
    private Needs needs;

    @Override
    public String name() {
        return "offer-engine";
    }

    @Override
    public Set<String> publishes() {
        return Set.of(Offers.BUNDLE, Offers.AMENDED);
    }

    @Override
    public void start(RapidsConnection rapids) {
        // its setting "window" (rr service offer-engine --set window=3s), else two seconds
        Duration window = rapids.setting("window")
                .map(text -> DurationText.parse(text, "setting window", Duration.ofMillis(100), Duration.ofMinutes(10)))
                .orElse(DEFAULT_WINDOW);
        // needs live in the pond and their deadlines in the river: any number of engines bundle each view once
        needs = Needs.collect(rapids, Offers.OFFER, window, Needs.Choice.all(), new Needs.DecisionListener() {
            @Override
            public void onDecided(Needs.Decision decision, MessageContext context) {
                context.publish(Offers.BUNDLE, offers(decision.question().payload().path("user").asText(), decision.chosen()));
            }

            /** An offer after the bundle is not dropped: the page view gets it in an amendment. */
            @Override
            public void onLate(String needId, Packet offer, MessageContext context) {
                context.publish(Offers.AMENDED, offers(offer.text("user"), List.of(offer)));
            }
        }, "user", "offer", "source", "basis");
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.VIEW_PAGE))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> needs.open(packet, context));
    }

    public Needs.Stats stats() {
        return needs.stats();
    }

    /** {user, offers: [{offer, source, basis}]}, sorted by source, then offer. */
    private static ObjectNode offers(String user, List<Packet> chosen) {
        ObjectNode bundle = Json.object().put("user", user);
        ArrayNode offers = bundle.putArray("offers");
        chosen.stream()
                .sorted(Comparator.comparing((Packet p) -> p.text("source")).thenComparing(p -> p.text("offer")))
                .forEach(offer -> offers.addObject()
                        .put("offer", offer.text("offer"))
                        .put("source", offer.text("source"))
                        .set("basis", offer.get("basis") == null ? Json.array() : offer.get("basis")));
        return bundle;
    }
}
