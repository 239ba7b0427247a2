package org.rapidsrivers.offers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;

/** Understands the vocabulary of the offers scenario: its event types, its facts and the shape of an offer. */
public final class Offers {
    public static final String VIEW_PAGE = "ViewPage";
    public static final String SEGMENT = "Segment";
    public static final String MEMBERSHIP = "Membership";
    public static final String OFFER = "Offer";
    public static final String BUNDLE = "OfferBundle";
    /** An offer that came after its page view's bundle: {user, offers: [the late one]}, in the same chain. */
    public static final String AMENDED = "OfferBundleAmended";
    public static final String ROAD_WARRIOR = "RoadWarrior";
    public static final String PLATINUM = "Platinum";
    public static final String BASELINE = "baseline";
    public static final String ROAD_WARRIOR_OFFER = "road-warrior";
    public static final String COMBINED_OFFER = "road-warrior+platinum";

    private Offers() {
    }

    /** An Offer's payload: for whom, which offer, which service makes it, on what facts. */
    public static ObjectNode offer(String user, String offer, String source, List<String> basis) {
        ObjectNode payload = Json.object().put("user", user).put("offer", offer).put("source", source);
        basis.forEach(payload.putArray("basis")::add);
        if (!payload.has("basis")) {
            payload.putArray("basis");
        }
        return payload;
    }

    /**
     * The two offers every offering service makes: a baseline on every ViewPage, and a road-warrior
     * offer when a Segment says the user is a RoadWarrior.
     */
    public static void baselineAndRoadWarrior(RapidsConnection rapids, String source) {
        River.on(rapids)
                .precondition(rules -> rules.requireType(VIEW_PAGE))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> context.publish(OFFER, offer(packet.text("user"), BASELINE, source, List.of())));
        River.on(rapids)
                .precondition(rules -> rules.requireType(SEGMENT).requireValue("segment", ROAD_WARRIOR))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> context.publish(OFFER, offer(packet.text("user"), ROAD_WARRIOR_OFFER, source,
                        List.of(segmentFact(ROAD_WARRIOR)))));
    }

    public static String segmentFact(String segment) {
        return "segment:" + segment;
    }

    public static String membershipFact(String level) {
        return "membership:" + level;
    }
}
