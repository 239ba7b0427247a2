package org.rapidsrivers.offers;

import java.util.Set;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/** Understands the membership level of a user, from its pond: on a ViewPage it says so with a Membership. */
public final class Membership implements Service {
    private final Pond pond;

    public Membership(Pond pond) {
        this.pond = pond;
        pond.putIfAbsent("level/Sally", Offers.PLATINUM);
    }

    public static void seed(Pond pond, String user, String level) {
        pond.put("level/" + user, level);
    }

    @Override
    public String name() {
        return "membership";
    }

    @Override
    public Set<String> publishes() {
        return Set.of(Offers.MEMBERSHIP);
    }

    @Override
    public void start(RapidsConnection rapids) {
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.VIEW_PAGE))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> pond.get("level/" + packet.text("user")).ifPresent(level ->
                        context.publish(Offers.MEMBERSHIP, Json.object().put("user", packet.text("user")).put("level", level))));
    }
}
