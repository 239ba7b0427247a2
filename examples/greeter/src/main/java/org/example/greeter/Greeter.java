package org.example.greeter;

import java.util.Set;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceRunner;

/** Greets whoever views a page: a ViewPage {user} in, a Greeting {to, text} out. */
public final class Greeter implements Service {
    public String name() { return "greeter"; }                  // its river has the same name
    public Set<String> publishes() { return Set.of("Greeting"); }

    public void start(RapidsConnection rapids) {
        String salutation = rapids.setting("salutation").orElse("Hello");   // --set or RR_SET_SALUTATION
        River.on(rapids)
                .precondition(rules -> rules.requireType("ViewPage"))
                .validate(rules -> rules.requireKey("user"))
                .register((packet, context) -> context.publish("Greeting", Json.object()
                        .put("to", packet.text("user"))
                        .put("text", salutation + ", " + packet.text("user"))));
    }

    public static void main(String[] args) {                   // the stage from RR_* and AWS_*, until SIGTERM
        ServiceRunner.run(new Greeter());
    }
}
