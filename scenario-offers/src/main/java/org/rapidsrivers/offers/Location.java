package org.rapidsrivers.offers;

import java.util.List;
import java.util.Set;
import org.rapidsrivers.service.MessageContext;
import org.rapidsrivers.service.Packet;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/**
 * Understands the offers a location can make: a baseline on every ViewPage, a road-warrior offer for
 * a RoadWarrior, and, once its pond knows the user is both a RoadWarrior and Platinum, one offer based
 * on both, exactly once per page view whatever order the two facts arrive in (and after a restart).
 */
public final class Location implements Service {
    private final Pond pond;

    public Location(Pond pond) {
        this.pond = pond;
    }

    @Override
    public String name() {
        return "location";
    }

    @Override
    public Set<String> publishes() {
        return Set.of(Offers.OFFER);
    }

    @Override
    public void start(RapidsConnection rapids) {
        Offers.baselineAndRoadWarrior(rapids, name());
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.SEGMENT).requireValue("segment", Offers.ROAD_WARRIOR))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> {
                    pond.put("road-warrior/" + packet.text("user"), "yes");
                    combinedIfBoth(packet.text("user"), packet, context);
                });
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.MEMBERSHIP).requireValue("level", Offers.PLATINUM))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> {
                    String user = packet.text("user");
                    pond.put("platinum/" + user, "yes");
                    combinedIfBoth(user, packet, context);
                });
    }

    /**
     * The first fact to complete the pair wins the page view's combined offer, and the pond records
     * which event won: handled again (a redelivery, a restart), that same event publishes the same
     * offer again under the same eventId, which consumers skip; any other event publishes nothing.
     */
    private void combinedIfBoth(String user, Packet fact, MessageContext context) {
        if (pond.get("road-warrior/" + user).isEmpty() || pond.get("platinum/" + user).isEmpty()) {
            return;
        }
        String winner = pond.putIfAbsent("combined/" + fact.correlationId(), fact.id());
        if (winner.equals(fact.id())) {
            context.publish(Offers.OFFER, Offers.offer(user, Offers.COMBINED_OFFER, name(),
                    List.of(Offers.segmentFact(Offers.ROAD_WARRIOR), Offers.membershipFact(Offers.PLATINUM))));
        }
    }
}
