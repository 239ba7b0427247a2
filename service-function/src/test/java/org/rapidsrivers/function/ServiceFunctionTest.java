package org.rapidsrivers.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.ports.Catalog;
import org.rapidsrivers.core.ports.ControlStream;
import org.rapidsrivers.core.ports.OutcomeLedger;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.ports.Rapids;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Subscriptions;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.testing.EmfLine;
import org.rapidsrivers.core.testing.InMemoryRapids;
import org.rapidsrivers.core.testing.InMemoryRivers;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;

/**
 * The function a deployed service runs, fed SQS batches as the event source mapping builds them: what
 * is handled is published and not reported, what fails is reported by its messageId and logged with its
 * eventId, a redelivered event is skipped, and each batch leaves one metrics line.
 */
class ServiceFunctionTest {
    private final InMemoryRapids rapids = new InMemoryRapids();
    private final InMemoryRivers rivers = new InMemoryRivers();
    private final Pond pond = Pond.inMemory(Clock.systemUTC());
    private final List<String> lines = new ArrayList<>();

    /** Greets whoever views a page, and fails for the user "boom". */
    static final class Greeter implements Service {
        public String name() {
            return "greeter";
        }

        public Set<String> publishes() {
            return Set.of("Greeting");
        }

        public void start(RapidsConnection rapids) {
            River.on(rapids).precondition(rules -> rules.requireType("ViewPage")).validate(rules -> rules.requireKey("user"))
                    .register((packet, context) -> {
                        if (packet.text("user").equals("boom")) {
                            throw new IllegalStateException("the greeting for boom cannot be made");
                        }
                        context.publish("Greeting", Json.object().put("to", packet.text("user")));
                    });
        }
    }

    @Test
    void handledMessagesArePublishedAndOnlyTheFailedOnesAreReportedByTheirMessageId() {
        rivers.create(RiverName.of("greeter"));
        ServiceFunction function = new ServiceFunction(backend(), new Greeter(), lines::add);
        Event sally = view("Sally");
        Event boom = view("boom");

        SQSBatchResponse response = function.handleRequest(sqs(Map.of("m-1", sally, "m-2", boom)), null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-2");
        assertThat(rapids.published()).extracting(e -> e.type().value()).containsExactly("ServiceStarted", "Greeting");
        assertThat(rapids.published().get(0).payload().get("deployed").asBoolean()).isTrue();
        String failedLine = lines.stream().filter(l -> l.contains("\"WARN\"")).findFirst().orElseThrow();
        assertThat(Json.parse(failedLine).get("messageId").asText()).isEqualTo("m-2");
        assertThat(Json.parse(failedLine).get("eventId").asText()).isEqualTo(boom.id());
        assertThat(Json.parse(failedLine).get("reason").asText()).contains("the greeting for boom cannot be made");
        EmfLine metrics = lines.stream().map(EmfLine::parse).flatMap(Optional::stream).findFirst().orElseThrow();
        assertThat(metrics.dimensions()).containsEntry("Service", "greeter").containsEntry("Stage", "fn");
        assertThat(metrics.metrics()).containsEntry("Received", 2L).containsEntry("Handled", 1L).containsEntry("Failed", 1L);
        // no heartbeat in a function: its last batch, noted in its pond, is what rr status shows
        assertThat(pond.get(ServiceFunction.LAST_HANDLED)).get().satisfies(last -> {
            assertThat(last.get("received").asInt()).isEqualTo(2);
            assertThat(last.get("failed").asInt()).isEqualTo(1);
            assertThat(Instant.parse(last.get("at").asText())).isBefore(Instant.now().plusSeconds(1));
        });
    }

    @Test
    void anEventDeliveredAgainIsSkippedNotHandledTwice() {
        rivers.create(RiverName.of("greeter"));
        ServiceFunction function = new ServiceFunction(backend(), new Greeter(), lines::add);
        Event sally = view("Sally");

        function.handleRequest(sqs(Map.of("m-1", sally)), null);
        SQSBatchResponse again = function.handleRequest(sqs(Map.of("m-9", sally)), null);

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(rapids.published()).extracting(e -> e.type().value()).containsExactly("ServiceStarted", "Greeting");
        assertThat(lines.stream().map(EmfLine::parse).flatMap(Optional::stream).toList().get(1).metrics())
                .containsEntry("DuplicatesSkipped", 1L).containsEntry("Handled", 0L);
    }

    @Test
    void aMessageThatIsNoEventIsReportedFailedWithoutAnEventId() {
        rivers.create(RiverName.of("greeter"));
        ServiceFunction function = new ServiceFunction(backend(), new Greeter(), lines::add);
        SQSEvent event = new SQSEvent();
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-3");
        message.setReceiptHandle("r-3");
        message.setBody("not json");
        event.setRecords(List.of(message));

        assertThat(function.handleRequest(event, null).getBatchItemFailures()).hasSize(1);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"messageId\":\"m-3\"").contains("\"eventId\":\"\""));
    }

    @Test
    void aFunctionWithoutItsServiceNamedSaysWhatToSet() {
        assertThatThrownBy(() -> ServiceFunction.serviceNamed(" ")).hasMessageContaining("RR_SERVICE is not set");
    }

    private static Event view(String user) {
        return Event.builder(Topic.of("ViewPage"), "test", Json.object().put("user", user)).build();
    }

    private static SQSEvent sqs(Map<String, Event> byMessageId) {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        new TreeMap<>(byMessageId).forEach((id, event) -> {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(id);
            message.setReceiptHandle("receipt-" + id);
            message.setBody(event.toJson());
            message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            messages.add(message);
        });
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    private Backend backend() {
        return new Backend() {
            public String kind() { return "memory"; }
            public Stage stage() { return Stage.of("fn"); }
            public Rapids rapids() { return rapids; }
            public ControlStream controlStream() {
                throw new AssertionError("a deployed service never writes the control stream");
            }
            public Rivers rivers() { return rivers; }
            public Subscriptions subscriptions() { return rivers; }
            public Catalog catalog() { throw new AssertionError("not used"); }
            public Outcomes outcomes() { throw new AssertionError("not used"); }
            public OutcomeLedger ledger() { throw new AssertionError("not used"); }
            public Pond pond(String service) { return pond; }
            public Operations operations() { throw new AssertionError("not used"); }
            public void close() { }
        };
    }
}
