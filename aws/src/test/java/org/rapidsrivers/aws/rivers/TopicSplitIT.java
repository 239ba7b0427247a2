package org.rapidsrivers.aws.rivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.aws.provision.AwsProvisioner;
import org.rapidsrivers.aws.rivers.StageTopics.StageTopic;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.testing.MotoExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A stage whose rivers do not fit on one topic, on moto with a quota of two rivers a topic: the control plane's
 * subscriptions spread over the topics it makes, the routing table says which types each holds, the fan-out
 * publishes an event to the rapids topic and to exactly the other topics with a river that wants it, each river
 * receives exactly its events, and rr remove's part takes the topics and their routes away.
 */
class TopicSplitIT {
    private static final Stage STAGE = Stage.of("split");
    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();
    private static AwsBackend aws;
    /** Each PublishBatch: the topic's name and the types of its entries, in order. */
    private static final List<String> published = new ArrayList<>();

    @BeforeAll
    static void start() {
        System.setProperty("aws.cborEnabled", "false");
        AwsSettings settings = AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true).withTopicQuota(2);
        ExecutionInterceptor publishes = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PublishBatchRequest batch) {
                    synchronized (published) {
                        published.add(batch.topicArn().substring(batch.topicArn().lastIndexOf(':') + 1) + " "
                                + batch.publishBatchRequestEntries().stream()
                                .map(e -> e.messageAttributes().get("event_type").stringValue()).toList());
                    }
                }
            }
        };
        aws = AwsBackend.open(settings, List.of(publishes));
        new AwsProvisioner(aws.clients(), settings).provision(1);
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void riversPastATopicsQuotaGoOnTopicsOfTheirOwnAndEachEventOnlyWhereARiverWantsIt() {
        subscribe("r1", "A");
        subscribe("r2", "B");
        subscribe("r3", "C");
        subscribe("r4", "A");
        subscribe("r5", "D");
        aws.subscriptions().subscribe(RiverName.of("r5"), Topic.of("Offer"), ContentFilter.parse(List.of("source=location")));

        assertThat(aws.topics().all()).extracting(StageTopic::name).containsExactly("Rapids-split", "Rapids-split-2", "Rapids-split-3");
        assertThat(aws.subscriptions().topicsByQueueName()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "rr-split-r1", "Rapids-split", "rr-split-r2", "Rapids-split",
                "rr-split-r3", "Rapids-split-2", "rr-split-r4", "Rapids-split-2", "rr-split-r5", "Rapids-split-3"));
        assertThat(aws.routes().read()).isEqualTo(Map.of("Rapids-split-2", Set.of("A", "C"), "Rapids-split-3", Set.of("D", "Offer")));
        // rr status reads every river's policy, whichever topic it is on
        var pool = Executors.newFixedThreadPool(2);
        try {
            assertThat(aws.subscriptions().policiesByQueueName(pool).keySet())
                    .containsExactly("rr-split-r1", "rr-split-r2", "rr-split-r3", "rr-split-r4", "rr-split-r5");
        } finally {
            pool.shutdownNow();
        }

        published.clear();
        assertThat(aws.router().route(events("A", "B", "C", "D", "E", "Offer:location", "Offer:elsewhere")).allDelivered()).isTrue();
        assertThat(published).containsExactlyInAnyOrder("Rapids-split [A, B, C, D, E, Offer, Offer]",
                "Rapids-split-2 [A, C]", "Rapids-split-3 [D, Offer, Offer]");
        assertThat(received("r1")).containsExactly("A");
        assertThat(received("r2")).containsExactly("B");
        assertThat(received("r3")).containsExactly("C");
        assertThat(received("r4")).containsExactly("A");
        assertThat(received("r5")).containsExactlyInAnyOrder("D", "Offer:location");

        // a river that stops wanting a type takes it off its topic's routes, and a topic with no river wanting
        // anything gets nothing more
        aws.subscriptions().unsubscribe(RiverName.of("r4"), Topic.of("A"));
        aws.subscriptions().unsubscribe(RiverName.of("r5"), Topic.of("D"));
        aws.subscriptions().unsubscribe(RiverName.of("r5"), Topic.of("Offer"));
        assertThat(aws.routes().read()).isEqualTo(Map.of("Rapids-split-2", Set.of("C")));
        published.clear();
        aws.router().route(events("A", "D"));
        assertThat(published).containsExactly("Rapids-split [A, D]");
        // an unsubscription applied again changes nothing
        aws.subscriptions().unsubscribe(RiverName.of("r4"), Topic.of("A"));
        assertThat(aws.routes().read()).isEqualTo(Map.of("Rapids-split-2", Set.of("C")));

        // a new river takes the first topic with room again: r4's place on topic 2
        subscribe("r6", "F");
        assertThat(aws.subscriptions().topicsByQueueName()).containsEntry("rr-split-r6", "Rapids-split-2");
        // the catalog's topics are still only the advertised ones: the routing table's items are none
        assertThat(aws.catalog().topics()).isEmpty();

        assertThat(aws.topics().deleteOthers(aws.routes())).containsExactlyInAnyOrder("Rapids-split-2", "Rapids-split-3");
        assertThat(aws.topics().all()).extracting(StageTopic::name).containsExactly("Rapids-split");
        assertThat(aws.routes().read()).isEmpty();
    }

    /**
     * moto as it is delivers a message to the first 100 subscriptions of its topic only; emulator/moto_server.py
     * delivers to every one, as SNS does, or a topic's rivers past the 100th would see nothing here.
     */
    @Test
    void theEmulatorDeliversToEverySubscriptionOfATopic() {
        var sns = aws.clients().sns();
        var sqs = aws.clients().sqs();
        String topic = sns.createTopic(b -> b.name("many-subscriptions")).topicArn();
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            String name = "many-" + i;
            String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
            queues.add(url);
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn).attributes(Map.of("RawMessageDelivery", "true")));
        }
        sns.publish(b -> b.topicArn(topic).message("to all"));
        for (String url : queues.subList(95, 105)) {
            assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
                    .as(url).extracting(m -> m.body()).containsExactly("to all");
        }
    }

    private static void subscribe(String river, String type) {
        aws.rivers().create(RiverName.of(river));
        aws.subscriptions().subscribe(RiverName.of(river), Topic.of(type));
    }

    /** Events of these types ("Offer:location" an offer whose source is location). */
    private static List<EventRecord> events(String... types) {
        List<EventRecord> events = new ArrayList<>();
        for (String type : types) {
            String[] parts = type.split(":");
            var payload = Json.object().put("n", events.size());
            if (parts.length > 1) {
                payload.put("source", parts[1]);
            }
            Event event = Event.builder(Topic.of(parts[0]), "split", payload).build();
            events.add(new EventRecord(event, new StreamRecord("shard-0", Integer.toString(events.size()), "k",
                    event.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8), Instant.now())));
        }
        return events;
    }

    /** What the river holds, by type (and source, for offers). */
    private static List<String> received(String river) {
        List<String> types = new ArrayList<>();
        for (Delivery delivery : aws.rivers().receive(RiverName.of(river), 10, Duration.ZERO, Duration.ofSeconds(30))) {
            Event event = Event.parse(delivery.body());
            String source = event.payload().path("source").asText("");
            types.add(event.type().value() + (source.isEmpty() ? "" : ":" + source));
        }
        return types;
    }
}
