package org.rapidsrivers.offers;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Set;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/**
 * Understands a service that knows one fact about users, kept in its pond ({@code <field>/<user>}), and
 * tells it when a user views a page: segmentation (the segment) and membership (the level). The data,
 * not the code, says who is what: a fact changed in the pond changes the next page view's event.
 */
abstract class FactLookup implements Service {
    private final String name;
    private final String publishes;
    private final String field;
    private final String sallys;

    FactLookup(String name, String publishes, String field, String sallys) {
        this.name = name;
        this.publishes = publishes;
        this.field = field;
        this.sallys = sallys;
    }

    /** Records a user's fact in the service's pond. */
    static void seed(Pond pond, String field, String user, String value) {
        pond.put(field + "/" + user, TextNode.valueOf(value));
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
        Pond pond = rapids.pond();
        // the scenario's own user, known from the start
        pond.putIfAbsent(field + "/Sally", TextNode.valueOf(sallys));
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.VIEW_PAGE))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> pond.get(field + "/" + packet.text("user")).ifPresent(value ->
                        context.publish(publishes, Json.object().put("user", packet.text("user")).put(field, value.asText()))));
    }
}
