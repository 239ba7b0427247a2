package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.service.MessageContext;
import org.rapidsrivers.service.Packet;
import org.rapidsrivers.service.PacketListener;
import org.rapidsrivers.service.Problems;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;

/** The River API on TestRapids: rules as sentences, problems collected, declared fields, the chain of causes. */
class RiverTest {
    private final TestRapids rapids = new TestRapids();
    private final RapidsConnection connection = rapids.connection("tester");
    private final List<String> seen = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    private final PacketListener recording = new PacketListener() {
        @Override
        public void onPacket(Packet packet, MessageContext context) {
            seen.add(packet.text("user"));
        }

        @Override
        public void onError(Packet packet, Problems problems, MessageContext context) {
            errors.addAll(problems.all());
        }

        @Override
        public void onPreconditionFailed(Packet packet, Problems problems) {
            skipped.addAll(problems.all());
        }
    };

    @Test
    void onlyEventsThatMeetThePreconditionsReachTheListener() {
        River.on(connection)
                .precondition(r -> r.requireType("ViewPage").forbidKey("bot").requireValue("site", "web"))
                .validate(r -> r.requireKey("user"))
                .register(recording);

        rapids.send("ViewPage", Json.object().put("user", "Sally").put("site", "web"));
        rapids.send("ViewPage", Json.object().put("user", "Robot").put("site", "web").put("bot", true));
        rapids.send("ViewPage", Json.object().put("user", "Appy").put("site", "app"));

        assertThat(seen).containsExactly("Sally");
        assertThat(skipped).containsExactly("'bot' is present but forbidden", "'site' is \"app\", not one of [web]");
        assertThat(errors).isEmpty();
    }

    @Test
    void everyValidationProblemIsCollectedNotOnlyTheFirst() {
        River.on(connection)
                .precondition(r -> r.requireType("Order"))
                .validate(r -> r.requireKey("user", "amount").forbidKey("refund").requireValue("currency", "EUR"))
                .register(recording);

        rapids.send("Order", Json.object().put("refund", true).put("currency", "USD"));

        assertThat(errors).containsExactly("'user' is missing", "'amount' is missing", "'refund' is present but forbidden",
                "'currency' is \"USD\", not one of [EUR]");
        assertThat(seen).isEmpty();
    }

    @Test
    void readingAFieldTheRiverDidNotDeclareIsAnError() {
        River.on(connection)
                .precondition(r -> r.requireType("ViewPage"))
                .validate(r -> r.requireKey("user").interestedIn("referrer"))
                .register((packet, context) -> {
                    assertThat(packet.get("referrer")).isNull();
                    packet.get("secret");
                });

        assertThatThrownBy(() -> rapids.send("ViewPage", Json.object().put("user", "Sally").put("secret", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("'secret' was not declared by this river: add requireKey(\"secret\") or interestedIn(\"secret\")"
                        + " to its rules");
    }

    @Test
    void aRiverMustNameTheEventTypesItWants() {
        assertThatThrownBy(() -> River.on(connection).validate(r -> r.requireKey("user")).register(recording))
                .hasMessageStartingWith("a river must require at least one event type");
    }

    @Test
    void whatAHandlerPublishesIsCausedByTheEventAndCarriesItsChainAndPartition() {
        River.on(connection)
                .precondition(r -> r.requireType("ViewPage"))
                .register((packet, context) -> context.publish("Segment", Json.object().put("n", 1)));
        River.on(connection)
                .precondition(r -> r.requireType("Segment"))
                .register((packet, context) -> context.publish("Offer", Json.object().put("n", 2)));

        Event root = Event.builder(Topic.of("ViewPage"), "browser", "{}").partitionKey("sally").build();
        rapids.send(root);

        Event segment = rapids.published("Segment").get(0);
        Event offer = rapids.published("Offer").get(0);
        assertThat(segment.causationId()).contains(root.id());
        assertThat(segment.correlationId()).contains(root.id());
        assertThat(segment.partitionKey()).isEqualTo("sally");
        assertThat(segment.hops()).isEqualTo(1);
        assertThat(segment.domain()).isEqualTo("tester");
        assertThat(offer.causationId()).contains(segment.id());
        assertThat(offer.correlationId()).contains(root.id());
        assertThat(offer.hops()).isEqualTo(2);

        Event correlated = Event.builder(Topic.of("ViewPage"), "browser", "{}").correlationId("journey-7").build();
        rapids.send(correlated);
        assertThat(rapids.published("Offer").get(1).correlationId()).contains("journey-7");
    }

    @Test
    void theSameCauseAlwaysGivesTheSameEventIdSoARedeliveryIsRecognised() {
        River.on(connection)
                .precondition(r -> r.requireType("ViewPage"))
                .register((packet, context) -> context.publish("Seen", Json.object()));
        Event root = Event.builder(Topic.of("ViewPage"), "browser", "{}").build();

        rapids.send(root);
        rapids.send(root);

        assertThat(rapids.published("Seen")).hasSize(2);
        assertThat(rapids.published("Seen").get(0).id()).isEqualTo(rapids.published("Seen").get(1).id());
    }

    @Test
    void aChainPastTheHopLimitIsRefusedNeverPublished() {
        // two rivers answering each other: a loop
        River.on(connection).precondition(r -> r.requireType("Ping"))
                .register((packet, context) -> context.publish("Pong", Json.object()));
        River.on(connection).precondition(r -> r.requireType("Pong"))
                .register((packet, context) -> context.publish("Ping", Json.object()));

        rapids.send("Ping", Json.object());

        assertThat(rapids.published()).hasSize(MessageContext.DEFAULT_MAX_HOPS);
        assertThat(rapids.published()).extracting(Event::hops).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void payloadFieldsKeepTheirNumbers() {
        List<String> amounts = new ArrayList<>();
        River.on(connection).precondition(r -> r.requireType("Order")).validate(r -> r.requireKey("amount"))
                .register((packet, context) -> amounts.add(packet.get("amount").toString()));
        ObjectNode payload = (ObjectNode) Json.parse("{\"amount\": 19.90}");

        rapids.send("Order", payload);

        assertThat(amounts).containsExactly("19.90");
    }
}
