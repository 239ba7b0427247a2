package org.rapidsrivers.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.aws.testing.FaultInjector;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.data.lambda.FanOutHandler;
import org.rapidsrivers.hosts.aws.AwsPlaneHosts;

/**
 * Faults on a real AWS-compatible server: partial PublishBatch and PutRecords, throttling, a handler
 * that throws, a record that never stops failing. Nothing may be lost, nothing published twice within
 * a batch that succeeded, and a record that cannot be processed must not hold up the ones after it.
 */
class AwsFaultsIT {
    private static final Stage STAGE = Stage.of("faults");
    private static final AtomicInteger NEXT = new AtomicInteger();
    private final FaultInjector faults = new FaultInjector();
    private final Topic topic = Topic.of("Tick" + NEXT.incrementAndGet());
    private final RiverName river = RiverName.of("faults-" + NEXT.get());
    private AwsBackend backend;
    private PlaneHost planes;

    @RegisterExtension
    static final ProvisionedMoto moto = new ProvisionedMoto(STAGE, 1);

    @AfterEach
    void close() {
        if (planes != null) {
            planes.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aPartialPublishBatchLosesNothingAndPublishesNothingTwice() {
        open(null);
        faults.failHalfOfNextPublishBatches(3);

        List<Event> sent = publish(25);

        assertDeliveredExactlyOnce(sent);
        assertThat(faults.attempts("PublishBatch")).as("the failed entries were sent again").isGreaterThan(3);
    }

    @Test
    void throttlingIsRetriedAndEverythingArrivesOnce() {
        open(null);
        faults.throttle("PublishBatch", 4);

        List<Event> sent = publish(12);

        assertDeliveredExactlyOnce(sent);
        assertThat(faults.attempts("PublishBatch")).as("throttled attempts and their retries").isGreaterThanOrEqualTo(6);
    }

    @Test
    void aPartialPutRecordsPutsTheFailedRecordsAgain() {
        open(null);
        faults.failHalfOfNextPutRecords(2);

        List<Event> sent = publish(20);

        assertDeliveredExactlyOnce(sent);
        assertThat(faults.attempts("PutRecords")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aHandlerThatThrowsIsRetriedAndNothingIsDeliveredTwice() {
        AtomicInteger throwsLeft = new AtomicInteger(2);
        AtomicInteger invocations = new AtomicInteger();
        open(handler -> (event, context) -> {
            invocations.incrementAndGet();
            if (event.getRecords().size() > 1 && throwsLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("handler failed (injected)");
            }
            return handler.handleRequest(event, context);
        });

        List<Event> sent = publish(8);

        assertDeliveredExactlyOnce(sent);
        assertThat(invocations.get()).isGreaterThan(2);
    }

    @Test
    void aRecordThatKeepsFailingGoesToTheOnFailureDestinationAndTheRestArrive() {
        String poisonMarker = "poison-" + NEXT.incrementAndGet();
        open(handler -> (event, context) -> {
            boolean poisoned = event.getRecords().stream().anyMatch(r ->
                    StandardCharsets.UTF_8.decode(r.getKinesis().getData().duplicate()).toString().contains(poisonMarker));
            if (poisoned) {
                throw new IllegalStateException("cannot process " + poisonMarker);
            }
            return handler.handleRequest(event, context);
        });
        Event poison = Event.builder(topic, "faults", Json.object().put("marker", poisonMarker)).partitionKey("one").build();
        List<Event> before = events(3, "one");
        List<Event> after = events(3, "one");

        List<Event> all = new ArrayList<>(before);
        all.add(poison);
        all.addAll(after);
        backend.rapids().publishAll(all);

        List<Event> expected = new ArrayList<>(before);
        expected.addAll(after);
        assertDeliveredExactlyOnce(expected);
        // what Lambda itself sends to an on-failure destination: where the batch lies in the stream
        var failure = AwsConformanceAccess.onFailureRecords(backend, STAGE).stream()
                .filter(r -> r.has("KinesisBatchInfo")).findFirst().orElseThrow();
        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(failure.at("/requestContext/functionArn").asText()).endsWith(":function:data-plane");
        assertThat(failure.at("/KinesisBatchInfo/batchSize").asInt()).isEqualTo(1);
        var info = failure.get("KinesisBatchInfo");
        String stream = info.get("streamArn").asText().substring(info.get("streamArn").asText().indexOf("stream/") + 7);
        String iterator = backend.clients().kinesis().getShardIterator(b -> b.streamName(stream)
                .shardId(info.get("shardId").asText()).shardIteratorType("AT_SEQUENCE_NUMBER")
                .startingSequenceNumber(info.get("startSequenceNumber").asText())).shardIterator();
        String data = backend.clients().kinesis().getRecords(b -> b.shardIterator(iterator).limit(1)).records().get(0)
                .data().asUtf8String();
        assertThat(data).contains(poisonMarker);
    }

    private void open(Function<RequestHandler<KinesisEvent, StreamsEventResponse>,
            RequestHandler<KinesisEvent, StreamsEventResponse>> wrap) {
        backend = AwsBackend.open(moto.settings(), List.of(faults));
        planes = AwsPlaneHosts.startOn(backend, HostSettings.kinesis().withRetryBackoff(Duration.ofMillis(50)),
                wrap != null ? wrap.apply(new FanOutHandler(backend)) : null);
        ControlCommand subscribe = ControlCommand.subscribe(river, topic, Clock.systemUTC());
        try (Outcomes.Watch watch = backend.outcomes().watch()) {
            backend.controlStream().send(subscribe);
            assertThat(watch.await(subscribe.commandId(), Duration.ofSeconds(30))).isPresent();
        }
    }

    private List<Event> publish(int count) {
        List<Event> events = events(count, null);
        backend.rapids().publishAll(events);
        return events;
    }

    private List<Event> events(int count, String partitionKey) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Event.Builder builder = Event.builder(topic, "faults", Json.object().put("n", i));
            if (partitionKey != null) {
                builder.partitionKey(partitionKey);
            }
            events.add(builder.build());
        }
        return events;
    }

    /** Reads until every sent event has arrived, then a while longer: no event may come twice. */
    private void assertDeliveredExactlyOnce(List<Event> sent) {
        Set<String> expected = new HashSet<>(sent.stream().map(Event::id).toList());
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Predicate<List<String>> complete = r -> new HashSet<>(r).containsAll(expected);
        while (!complete.test(received) && System.nanoTime() < deadline) {
            received.addAll(readOnce(Duration.ofSeconds(1)));
        }
        received.addAll(readOnce(Duration.ofSeconds(2)));
        assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
    }

    private List<String> readOnce(Duration wait) {
        List<Delivery> batch = backend.rivers().receive(river, 10, wait, Duration.ofSeconds(30));
        backend.rivers().delete(river, batch);
        return batch.stream().map(d -> Event.parse(d.body()).id()).toList();
    }
}
