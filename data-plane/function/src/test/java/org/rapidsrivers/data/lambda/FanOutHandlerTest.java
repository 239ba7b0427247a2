package org.rapidsrivers.data.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.testing.EmfLine;
import org.rapidsrivers.core.testing.InMemoryDeadLetters;
import org.rapidsrivers.core.testing.InMemoryRivers;
import org.rapidsrivers.data.FanOut;

/** The fan-out handler on a Kinesis event as Lambda sends it, read with Lambda's own serialization. */
class FanOutHandlerTest {
    private final InMemoryRivers rivers = new InMemoryRivers();
    private final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private final List<String> logged = new ArrayList<>();
    private final List<Event> seen = new ArrayList<>();
    private final FanOutHandler handler = new FanOutHandler(rivers, deadLetters, seen::addAll,
            new PlaneLog("dev", "data-plane", true, logged::add));

    @BeforeEach
    void aRiverForPageViews() {
        rivers.create(RiverName.of("r1"));
        rivers.subscribe(RiverName.of("r1"), Topic.of("ViewPage"));
    }

    @Test
    void routesTheRecordedEventsAndBuriesTheOneThatIsNotJson() throws Exception {
        StreamsEventResponse response = handler.handleRequest(recorded(), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(rivers.messagesIn(RiverName.of("r1"))).hasSize(2)
                .allSatisfy(body -> assertThat(body).contains("\"eventType\":\"ViewPage\"", "\"name\":\"Sally\""));
        assertThat(deadLetters.buried()).singleElement().satisfies(dead -> {
            assertThat(dead.record().text()).isEqualTo("this is not json");
            assertThat(dead.record().shardId()).isEqualTo("shardId-000000000001");
            assertThat(dead.record().sequenceNumber()).isEqualTo("49659800000000000000000000000000000000000000000000000002");
            assertThat(dead.reason()).startsWith("malformed JSON");
        });
    }

    @Test
    void aRecordThatCannotBeRoutedNowIsReportedWithAllAfterIt() throws Exception {
        rivers.failRoutingOf(event -> event.id().endsWith("bd3"));

        StreamsEventResponse response = handler.handleRequest(recorded(), null);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("49659800000000000000000000000000000000000000000000000003",
                        "49659800000000000000000000000000000000000000000000000004");
        // one JSON line per failed record and one for the batch, with the batch's real counts
        var lines = logged.stream().map(Json::parse).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("level").asText()).isEqualTo("WARN");
        assertThat(lines.get(0).get("sequenceNumber").asText()).isEqualTo("49659800000000000000000000000000000000000000000000000003");
        assertThat(lines.get(0).get("reason").asText()).isEqualTo("injected routing failure");
        assertThat(lines.get(0).get("shard").asText()).isEqualTo("shardId-000000000001");
        assertThat(lines.get(0).get("stage").asText()).isEqualTo("dev");
        assertThat(lines.get(1).get("sequenceNumber").asText()).endsWith("4");
        assertThat(lines.get(2).get("message").asText()).isEqualTo("batch");
        // the batch line is CloudWatch Embedded Metric Format; read back, its numbers are the batch's own
        EmfLine metrics = EmfLine.parse(logged.get(2)).orElseThrow();
        assertThat(metrics.namespace()).isEqualTo("RapidsRivers");
        assertThat(metrics.dimensions()).isEqualTo(Map.of("Stage", "dev", "Plane", "data-plane"));
        assertThat(metrics.metrics()).containsEntry("RecordsIn", 4L).containsEntry("Failed", 2L)
                .containsEntry("DeadLettered", (long) deadLetters.buried().size())
                .containsEntry("Routed", (long) rivers.messagesIn(RiverName.of("r1")).size())
                .containsEntry("PublishCalls", 0L).containsKey("BatchDuration");
        assertThat(deadLetters.buried()).hasSize(1);
        assertThat(rivers.messagesIn(RiverName.of("r1"))).hasSize(1);
        // what was routed is noted as traffic, and only that
        assertThat(seen).extracting(e -> e.type().value()).containsExactly("ViewPage");
    }

    private static KinesisEvent recorded() throws Exception {
        try (InputStream in = FanOutHandlerTest.class.getResourceAsStream("/events/rapids-batch.json")) {
            return LambdaEventSerializers.serializerFor(KinesisEvent.class, FanOutHandlerTest.class.getClassLoader())
                    .fromJson(in);
        }
    }
}
