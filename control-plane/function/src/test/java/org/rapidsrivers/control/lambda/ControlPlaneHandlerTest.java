package org.rapidsrivers.control.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.control.ControlPlane;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.testing.EmfLine;
import org.rapidsrivers.core.testing.InMemoryCatalog;
import org.rapidsrivers.core.testing.InMemoryLedger;
import org.rapidsrivers.core.testing.InMemoryRapids;
import org.rapidsrivers.core.testing.InMemoryRivers;

/** The handler on a Kinesis event as Lambda sends it, read with Lambda's own serialization. */
class ControlPlaneHandlerTest {
    private final InMemoryRivers rivers = new InMemoryRivers();
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final InMemoryRapids rapids = new InMemoryRapids();
    private final List<String> logged = new ArrayList<>();
    private final List<String> noted = new ArrayList<>();
    private final ControlPlaneHandler handler = new ControlPlaneHandler(
            new ControlPlane(rivers, rivers, catalog, rapids, Clock.systemUTC(), new InMemoryLedger()),
            new PlaneLog("test", "control-plane", true, logged::add),
            (consumer, record, reason) -> noted.add(consumer + " " + record.sequenceNumber() + " " + reason));

    @Test
    void appliesTheCommandsOfARecordedEventAndReportsNoFailures() throws Exception {
        StreamsEventResponse response = handler.handleRequest(recorded("control-batch.json"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(rivers.topicsOf(RiverName.of("r1"))).containsExactly(Topic.of("ViewPage"));
        assertThat(catalog.topics()).containsExactly(Topic.of("ViewPage"));
        var outcomes = rapids.published().stream().map(e -> CommandOutcome.of(e).orElseThrow()).toList();
        assertThat(outcomes).extracting(CommandOutcome::eventType)
                .containsExactly("RiverSubscribed", "TopicAdvertised", "ControlCommandRejected");
        assertThat(outcomes.get(0).commandId()).isEqualTo("c-1");
        assertThat(outcomes.get(1).commandId()).as("filled in for a client that sent none").isNotBlank();
        assertThat(outcomes.get(2).commandId()).isEqualTo("c-3");
        assertThat(outcomes.get(2).reason()).isEqualTo("unknown command 'drop' (allowed: subscribe, unsubscribe, advertise, delete)");
        // the batch line, read back as CloudWatch reads Embedded Metric Format, counts what really happened
        EmfLine metrics = logged.stream().map(EmfLine::parse).flatMap(Optional::stream).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(metrics.dimensions()).containsEntry("Stage", "test").containsEntry("Plane", "control-plane");
        assertThat(metrics.metrics()).containsEntry("RecordsIn", 3L).containsEntry("Failed", 0L)
                .containsEntry("Applied", outcomes.stream().filter(o -> !o.eventType().equals("ControlCommandRejected")).count())
                .containsEntry("Rejected", 1L);
    }

    @Test
    void aFailureComesBackAsBatchItemFailuresFromTheFailedRecordOn() throws Exception {
        rivers.failNextChanges(1);

        StreamsEventResponse response = handler.handleRequest(recorded("control-batch.json"), null);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("49659812345678901234567890123456789012345678901234567890",
                        "49659812345678901234567890123456789012345678901234567891",
                        "49659812345678901234567890123456789012345678901234567892");
        EmfLine metrics = logged.stream().map(EmfLine::parse).flatMap(Optional::stream).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(metrics.metrics()).containsEntry("RecordsIn", 3L).containsEntry("Failed", 3L)
                .containsEntry("Applied", 0L);
        // why, noted for the first record Lambda will retry from (its own dead letter would say only that it gave up)
        assertThat(noted).singleElement().asString()
                .startsWith("control-plane 49659812345678901234567890123456789012345678901234567890 ");
        assertThat(responseJson(response)).isEqualTo("{\"batchItemFailures\":["
                + "{\"itemIdentifier\":\"49659812345678901234567890123456789012345678901234567890\"},"
                + "{\"itemIdentifier\":\"49659812345678901234567890123456789012345678901234567891\"},"
                + "{\"itemIdentifier\":\"49659812345678901234567890123456789012345678901234567892\"}]}");
    }

    static KinesisEvent recorded(String name) throws Exception {
        PojoSerializer<KinesisEvent> serializer = LambdaEventSerializers.serializerFor(KinesisEvent.class,
                ControlPlaneHandlerTest.class.getClassLoader());
        try (InputStream in = ControlPlaneHandlerTest.class.getResourceAsStream("/events/" + name)) {
            return serializer.fromJson(in);
        }
    }

    static String responseJson(StreamsEventResponse response) {
        PojoSerializer<StreamsEventResponse> serializer = LambdaEventSerializers.serializerFor(StreamsEventResponse.class,
                ControlPlaneHandlerTest.class.getClassLoader());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(response, out);
        return Json.compact(Json.parse(out.toString(StandardCharsets.UTF_8)));
    }
}
