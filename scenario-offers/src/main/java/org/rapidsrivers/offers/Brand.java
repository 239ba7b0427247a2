package org.rapidsrivers.offers;

import java.util.List;
import java.util.Set;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/** Understands the offers a brand makes: a baseline on every ViewPage, and a road-warrior offer for a RoadWarrior. */
public final class Brand implements Service {
    @Override
    public String name() {
        return "brand";
    }

    @Override
    public Set<String> publishes() {
        return Set.of(Offers.OFFER);
    }

    @Override
    public void start(RapidsConnection rapids) {
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.VIEW_PAGE))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> context.publish(Offers.OFFER,
                        Offers.offer(packet.text("user"), Offers.BASELINE, name(), List.of())));
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.SEGMENT).requireValue("segment", Offers.ROAD_WARRIOR))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> context.publish(Offers.OFFER, Offers.offer(packet.text("user"),
                        Offers.ROAD_WARRIOR_OFFER, name(), List.of(Offers.segmentFact(Offers.ROAD_WARRIOR)))));
    }
}
