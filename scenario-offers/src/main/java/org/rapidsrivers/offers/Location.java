package org.rapidsrivers.offers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.service.MessageContext;
import org.rapidsrivers.service.Packet;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/**
 * Understands the offers a location can make: a baseline on every ViewPage, a road-warrior offer for
 * a RoadWarrior, and one offer based on both facts of the same page view (its chain): a RoadWarrior
 * who is Platinum. The facts are kept per page view ({@code facts/<chain>}), so a level that changed
 * since an earlier view (Platinum to Gold) changes the offer, and both facts and decisions expire
 * once no page view can need them. The offer is made exactly once per page view, whichever fact
 * completes the pair and whatever order they arrive in, across restarts and instances.
 */
public final class Location implements Service {
    /** How long a page view's facts and decision are kept: far longer than any view's offers take. */
    static final Duration KEEP = Duration.ofMinutes(30);

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
        Pond pond = rapids.pond();
        Offers.baselineAndRoadWarrior(rapids, name());
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.SEGMENT))
                .validate(rules -> rules.requireKey("user").requireKey("segment"))
                .register((packet, context) -> fact(pond, packet, "segment", packet.text("segment"), context));
        River.on(rapids)
                .precondition(rules -> rules.requireType(Offers.MEMBERSHIP))
                .validate(rules -> rules.requireKey("user").requireKey("level"))
                .register((packet, context) -> fact(pond, packet, "level", packet.text("level"), context));
    }

    /** Adds the fact to its page view's, then offers if they now make a RoadWarrior who is Platinum. */
    private void fact(Pond pond, Packet fact, String field, String value, MessageContext context) {
        String key = "facts/" + fact.correlationId();
        ObjectNode facts;
        while (true) {
            Optional<JsonNode> before = pond.get(key);
            facts = before.map(JsonNode::deepCopy).map(ObjectNode.class::cast).orElseGet(Json::object);
            facts.put(field, value);
            if (before.isPresent() && before.get().equals(facts) || pond.compareAndSet(key, before, facts, KEEP)) {
                break;
            }
            // another instance added the other fact meanwhile: read again
        }
        if (Offers.ROAD_WARRIOR.equals(facts.path("segment").asText()) && Offers.PLATINUM.equals(facts.path("level").asText())) {
            combined(pond, fact.text("user"), fact, context);
        }
    }

    /**
     * The first fact to complete the pair wins the page view's combined offer, and the pond records which
     * event won: handled again (a redelivery, a restart, another instance), that same event publishes the
     * same offer again under the same eventId, which consumers skip; any other event publishes nothing.
     */
    private void combined(Pond pond, String user, Packet fact, MessageContext context) {
        JsonNode winner = pond.putIfAbsent("combined/" + fact.correlationId(), TextNode.valueOf(fact.id()), KEEP);
        if (winner.asText().equals(fact.id())) {
            context.publish(Offers.OFFER, Offers.offer(user, Offers.COMBINED_OFFER, name(),
                    List.of(Offers.segmentFact(Offers.ROAD_WARRIOR), Offers.membershipFact(Offers.PLATINUM))));
        }
    }
}
