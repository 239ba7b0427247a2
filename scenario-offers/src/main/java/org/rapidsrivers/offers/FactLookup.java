package org.rapidsrivers.offers;

import java.util.Set;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/**
 * Understands a service that knows one fact about users, kept in its pond, and tells it when a user
 * views a page: segmentation (the segment) and membership (the level). The data, not the code, says
 * who is what.
 */
class FactLookup implements Service {
    private final String name;
    private final String publishes;
    private final String field;
    private final Pond pond;

    FactLookup(String name, String publishes, String field, Pond pond) {
        this.name = name;
        this.publishes = publishes;
        this.field = field;
        this.pond = pond;
    }

    /** Records a user's fact. */
    static void seed(Pond pond, String field, String user, String value) {
        pond.put(field + "/" + user, value);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> publishes() {
        return Set.of(publishes);
    }

    @Override
    public void start(RapidsConnection rapids) {
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.VIEW_PAGE))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> pond.get(field + "/" + packet.text("user")).ifPresent(value ->
                        context.publish(publishes, Json.object().put("user", packet.text("user")).put(field, value))));
    }
}
