package ${package};

import java.util.Set;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceRunner;

/**
 * Offers something to whoever views a page: a ViewPage {user} in, an Offer {user, offer, source, basis} out,
 * which the offers scenario's engine bundles with the rest. Change the rules and what it publishes to make it
 * yours; its name is its river's.
 */
public final class OfferOnEveryPageView implements Service {
    public String name() { return "${service}"; }
    public Set<String> publishes() { return Set.of("Offer"); }

    public void start(RapidsConnection rapids) {
        String offer = rapids.setting("offer").orElse("${service}");   // --set offer=... or RR_SET_OFFER
        River.on(rapids)
                .precondition(rules -> rules.requireType("ViewPage"))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> {
                    var made = Json.object().put("user", packet.text("user")).put("offer", offer).put("source", name());
                    made.putArray("basis").add("every page view");
                    context.publish("Offer", made);
                });
    }

    public static void main(String[] args) {                   // the stage from RR_* and AWS_*, until SIGTERM
        ServiceRunner.run(new OfferOnEveryPageView());
    }
}
