package org.rapidsrivers.offers;

import java.util.Set;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/** Understands which segment a user belongs to, from its pond: on a ViewPage it says so with a Segment. */
public final class Segmentation implements Service {
    private final Pond pond;

    public Segmentation(Pond pond) {
        this.pond = pond;
        pond.putIfAbsent("segment/Sally", Offers.ROAD_WARRIOR);
    }

    /** Records a user's segment (the data, not the code, says who is a RoadWarrior). */
    public static void seed(Pond pond, String user, String segment) {
        pond.put("segment/" + user, segment);
    }

    @Override
    public String name() {
        return "segmentation";
    }

    @Override
    public Set<String> publishes() {
        return Set.of(Offers.SEGMENT);
    }

    @Override
    public void start(RapidsConnection rapids) {
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.VIEW_PAGE))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> pond.get("segment/" + packet.text("user")).ifPresent(segment ->
                        context.publish(Offers.SEGMENT, Json.object().put("user", packet.text("user")).put("segment", segment))));
    }
}
