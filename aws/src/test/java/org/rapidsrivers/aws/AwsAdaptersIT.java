package org.rapidsrivers.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.aws.operate.KinesisLag;
import org.rapidsrivers.aws.provision.AwsProvisioner;
import org.rapidsrivers.aws.rivers.SqsRivers;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.RapidsTail;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.testing.MotoServer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SetQueueAttributesRequest;

/** What the AWS adapters leave in AWS, looked at through the services' own APIs on moto's server. */
class AwsAdaptersIT {
    private static final Stage STAGE = Stage.of("adapters");
    private static MotoServer moto;
    private static AwsBackend aws;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        System.setProperty("aws.cborEnabled", "false");
        AwsSettings settings = AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true);
        aws = AwsBackend.open(settings);
        new AwsProvisioner(aws.clients(), settings).provision(1);
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /**
     * A tail whose read of one shard fails (here the second GetRecords, as a connection reset would) keeps
     * what it read from the shard before: that poll fails, the next returns everything, once.
     */
    @Test
    void aTailThatCannotReadOneShardKeepsWhatItReadFromTheOthersForItsNextPoll() {
        AwsSettings settings = AwsSettings.of(Stage.of("tail")).withEndpoint(moto.endpoint()).asEmulator(true);
        try (AwsBackend setup = AwsBackend.open(settings)) {
            new AwsProvisioner(setup.clients(), settings).provision(2);
        }
        AtomicInteger reads = new AtomicInteger();
        ExecutionInterceptor secondReadFails =
                new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context,
                                                ExecutionAttributes attributes) {
                        if (context.request() instanceof GetRecordsRequest
                                && reads.incrementAndGet() == 2) {
                            throw SdkClientException.create("connection reset (injected)");
                        }
                    }
                };
        try (AwsBackend backend = AwsBackend.open(settings, List.of(secondReadFails))) {
            RapidsTail tail = backend.operations().tail();
            List<Event> sent = IntStream.range(0, 20)
                    .mapToObj(i -> Event.builder(Topic.of("Tick"), "test", Json.object().put("n", i))
                            .partitionKey("user-" + i).build()).toList();
            backend.rapids().publishAll(sent);

            Assertions.assertThatThrownBy(tail::poll).hasMessageContaining("connection reset (injected)");
            List<String> seen = tail.poll();

            assertThat(seen.stream().map(text -> Event.parse(text).id()).toList())
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(Event::id).toList());
        }
    }

    @Test
    void anOutcomeOnTheRapidsConfirmsNothingOnlyTheControlPlanesLedgerDoes() {
        // any producer may put this on the rapids: it says a command of someone else's was applied
        ControlCommand command = ControlCommand.subscribe(
                RiverName.of("victim"), Topic.of("Secrets"), Clock.systemUTC());
        aws.rapids().publish(CommandOutcome.appliedEvent(command, Clock.systemUTC()));
        try (Outcomes.Watch watch = aws.outcomes().watch()) {
            assertThat(watch.await(command.commandId(), Duration.ofSeconds(1))).isEmpty();

            Instant at = Instant.parse("2026-12-07T09:00:00.000Z");
            aws.ledger().record(List.of(CommandOutcome.applied(command, at, true)));
            assertThat(watch.await(command.commandId(), Duration.ofSeconds(5))).get().satisfies(outcome -> {
                assertThat(outcome.applied()).isTrue();
                assertThat(outcome.command().describe()).isEqualTo("subscribe victim Secrets");
                assertThat(outcome.at()).isEqualTo(at);
            });
            // the first outcome of a command stays: a second write (a retried batch, a forger with table rights) changes nothing
            aws.ledger().record(List.of(CommandOutcome.rejected(command.commandId(), command,
                    "rewritten", at.plusSeconds(5))));
            assertThat(aws.ledger().find(command.commandId())).get().satisfies(outcome -> assertThat(outcome.applied()).isTrue());
            assertThat(aws.ledger().subscriptionChangesSince(at)).extracting(o -> o.commandId()).containsExactly(command.commandId());
            assertThat(aws.ledger().subscriptionChangesSince(at.plusSeconds(1))).isEmpty();
        }
        // the ledger's items are no topics and no traffic, and what the control plane processed is counted from them
        assertThat(aws.catalog().topics()).extracting(Topic::value).noneMatch(t -> t.startsWith("outcome "));
        assertThat(aws.operations().traffic()).noneMatch(t -> t.domain().startsWith("outcome"));
        assertThat(aws.operations().outcomesRecorded()).hasValue(1);
    }

    @Test
    void provisionMakesTheKeyAndTopicAsTheTemplatesDo() {
        String keyId = aws.clients().kms().describeKey(b -> b.keyId("alias/rr-adapters")).keyMetadata().keyId();
        assertThat(aws.clients().kms().getKeyRotationStatus(b -> b.keyId(keyId)).keyRotationEnabled()).isTrue();
        String keyPolicy = aws.clients().kms().getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy();
        assertThat(keyPolicy).contains("\"aws:SourceArn\":[\"arn:aws:sns:").contains(":Rapids-adapters\",")
                .contains(":Rapids-adapters-*\"]")
                .contains("aws:SourceAccount").doesNotContain("sqs.amazonaws.com");
        String topicArn = aws.clients().sns().listTopics().topics().stream().map(t -> t.topicArn())
                .filter(arn -> arn.endsWith(":Rapids-adapters")).findFirst().orElseThrow();
        String topicPolicy = aws.clients().sns().getTopicAttributes(b -> b.topicArn(topicArn)).attributes().get("Policy");
        assertThat(Json.parse(topicPolicy).path("Statement")).extracting(st -> st.path("Sid").asText())
                .containsExactlyInAnyOrder("DenyWithoutTls", "OnlyTheStagesQueuesSubscribe", "OnlyQueuesSubscribe");
        assertThat(topicPolicy).contains(":rr-adapters-*");
    }

    @Test
    void aRiverTheControlPlaneMakesCarriesTheTagItsRoleMayChangeAlone() {
        aws.rivers().create(RiverName.of("tagged"));
        for (String queue : List.of(STAGE.riverQueue(RiverName.of("tagged")), STAGE.riverDeadLetterQueue(RiverName.of("tagged")))) {
            String url = aws.clients().sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl();
            assertThat(aws.clients().sqs().listQueueTags(b -> b.queueUrl(url)).tags()).as(queue)
                    .containsAllEntriesOf(SqsRivers.MADE_BY_CONTROL_PLANE);
        }
        // making it again (a second subscribe) is no error
        aws.rivers().create(RiverName.of("tagged"));
    }

    @Test
    void anAwsErrorNobodyExpectedIsOneLineNamingServiceOperationResourceAndWhatToDo() {
        RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> aws.clients()
                .dynamoDb().putItem(b -> b.tableName("Topics-adapters").item(Map.of("notTheKey",
                        AttributeValue.fromS("x")))));
        // moto fails ScheduleKeyDeletion on a key's ARN with an internal error (rr remove passes the key's id)
        String keyArn = aws.clients().kms().describeKey(b -> b.keyId("alias/rr-adapters")).keyMetadata().arn();
        RuntimeException failed = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> aws.clients()
                .kms().scheduleKeyDeletion(b -> b.keyId(keyArn).pendingWindowInDays(7)));

        assertThat(AwsErrors.oneLine(refused)).get().asString()
                .startsWith("AWS DynamoDb PutItem on Topics-adapters failed with HTTP 400 ValidationException")
                .contains("AWS refused the request: fix what it names").doesNotContain("\n");
        assertThat(AwsErrors.oneLine(failed)).get().asString()
                .startsWith("AWS Kms ScheduleKeyDeletion on " + keyArn + " failed with HTTP 500")
                .contains("the service failed: try again").doesNotContain("\n");
        assertThat(AwsErrors.oneLine(new IllegalStateException("not AWS"))).isEmpty();
    }

    @Test
    void withNoLocalHostAnEmulatorsShardIsBehindByAllItHoldsAndAWSsIsUnknown() {
        aws.rapids().publish(Event.builder(Topic.of("Waiting"), "test", Json.object()).partitionKey("waiting").build());

        // an emulator runs no Lambda: a shard no host checkpointed was never read, and status says nothing hosts the planes
        var lag = aws.operations().lag();
        assertThat(lag).filteredOn(l -> l.consumer().equals("data-plane")).anySatisfy(consumer ->
                assertThat(consumer.recordsBehind().orElse(0)).isPositive());
        assertThat(lag).allSatisfy(consumer -> assertThat(consumer.millisBehind()).isPresent());

        // on AWS the mappings read the streams, whose lag is their IteratorAge metric: not counted from the start here
        KinesisLag onAws = new KinesisLag(aws.clients().kinesis(), aws.clients().dynamoDb(), STAGE, Clock.systemUTC(), false);
        assertThat(onAws.of(aws.settings().rapidsStream(), "data-plane")).isNotEmpty().allSatisfy(consumer -> {
            assertThat(consumer.recordsBehind()).isEmpty();
            assertThat(consumer.millisBehind()).isEmpty();
        });
    }

    @Test
    void aRiverIsAnEncryptedQueueWithADeadLetterQueueAndOnlyTheTopicMaySendToIt() {
        RiverName river = RiverName.of("orders");
        aws.rivers().create(river);
        aws.rivers().create(river);

        Map<String, String> queue = attributes("rr-adapters-orders");
        Map<String, String> dlq = attributes("rr-adapters-orders-dlq");
        String topicArn = aws.clients().sns().listTopics().topics().stream().map(t -> t.topicArn())
                .filter(arn -> arn.endsWith(":Rapids-adapters")).findFirst().orElseThrow();

        assertThat(queue.get("KmsMasterKeyId")).isEqualTo("alias/rr-adapters");
        assertThat(dlq.get("KmsMasterKeyId")).isEqualTo("alias/rr-adapters");
        var redrive = Json.parse(queue.get("RedrivePolicy"));
        assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(dlq.get("QueueArn"));
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(5);
        var statement = Json.parse(queue.get("Policy")).get("Statement").get(0);
        assertThat(statement.get("Principal").get("Service").asText()).isEqualTo("sns.amazonaws.com");
        assertThat(statement.get("Action").asText()).isEqualTo("sqs:SendMessage");
        assertThat(statement.get("Resource").asText()).isEqualTo(queue.get("QueueArn"));
        // the rapids topic, and those the control plane makes past its quota of rivers
        assertThat(statement.at("/Condition/ArnLike/aws:SourceArn").toString()).isEqualTo("[\"" + topicArn + "\",\"" + topicArn + "-*\"]");
        for (Map<String, String> each : List.of(queue, dlq)) {
            var deny = Json.parse(each.get("Policy")).get("Statement").get(1);
            assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
            assertThat(deny.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");
            assertThat(deny.get("Resource").asText()).isEqualTo(each.get("QueueArn"));
        }
    }

    /** moto 5.2.5 drops RedriveAllowPolicy silently, so what is sent is checked on its way out. */
    @Test
    void aRiversDeadLetterQueueSaysOnlyItsRiverMayRedriveIntoIt() {
        List<SetQueueAttributesRequest> sent = new ArrayList<>();
        ExecutionInterceptor recording = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context,
                                        ExecutionAttributes attributes) {
                if (context.request() instanceof SetQueueAttributesRequest request) {
                    sent.add(request);
                }
            }
        };
        try (AwsBackend recorded = AwsBackend.open(aws.settings(), List.of(recording))) {
            recorded.rivers().create(RiverName.of("audited"));
        }
        String riverArn = attributes("rr-adapters-audited").get("QueueArn");

        assertThat(sent).singleElement().satisfies(request -> {
            assertThat(request.queueUrl()).endsWith("rr-adapters-audited-dlq");
            var allow = Json.parse(request.attributes().get(QueueAttributeName.REDRIVE_ALLOW_POLICY));
            assertThat(allow.get("redrivePermission").asText()).isEqualTo("byQueue");
            assertThat(allow.get("sourceQueueArns").get(0).asText()).isEqualTo(riverArn);
        });
    }

    @Test
    void aRiversTopicsAreTheFilterPolicyOfItsOneRawSubscription() {
        RiverName river = RiverName.of("offers");
        aws.rivers().create(river);

        aws.subscriptions().subscribe(river, Topic.of("OfferMade"));
        aws.subscriptions().subscribe(river, Topic.of("ViewPage"));
        aws.subscriptions().subscribe(river, Topic.of("OfferMade"));

        var subscriptions = aws.clients().sns().listSubscriptions().subscriptions().stream()
                .filter(s -> s.endpoint().endsWith(":rr-adapters-offers")).toList();
        assertThat(subscriptions).hasSize(1);
        Map<String, String> attributes = aws.clients().sns().getSubscriptionAttributes(b -> b
                .subscriptionArn(subscriptions.get(0).subscriptionArn())).attributes();
        assertThat(Json.parse(attributes.get("FilterPolicy"))).isEqualTo(Json.parse("{\"event_type\":[\"OfferMade\",\"ViewPage\"]}"));
        assertThat(attributes.get("RawMessageDelivery")).isEqualTo("true");
        assertThat(Json.parse(attributes.get("RedrivePolicy")).get("deadLetterTargetArn").asText())
                .isEqualTo(attributes("rr-adapters-offers-dlq").get("QueueArn"));
        assertThat(aws.subscriptions().filterPolicyOf(river)).contains("{\"event_type\":[\"OfferMade\",\"ViewPage\"]}");
    }

    @Test
    void theLastTopicGoingRemovesTheSubscriptionSoNothingLeaksThrough() {
        RiverName river = RiverName.of("quiet");
        aws.rivers().create(river);
        aws.subscriptions().subscribe(river, Topic.of("A"));
        aws.subscriptions().subscribe(river, Topic.of("B"));

        aws.subscriptions().unsubscribe(river, Topic.of("A"));
        assertThat(aws.subscriptions().filterPolicyOf(river)).contains("{\"event_type\":[\"B\"]}");
        aws.subscriptions().unsubscribe(river, Topic.of("B"));

        assertThat(aws.clients().sns().listSubscriptions().subscriptions())
                .noneMatch(s -> s.endpoint().endsWith(":rr-adapters-quiet"));
        assertThat(aws.rivers().exists(river)).isTrue();
        assertThat(aws.subscriptions().topicsOf(river)).isEmpty();
    }

    @Test
    void theCatalogIsATableWithOneItemPerTopic() {
        aws.catalog().advertise(Topic.of("Advertised"));
        aws.catalog().advertise(Topic.of("Advertised"));

        var items = aws.clients().dynamoDb().scan(b -> b.tableName("Topics-adapters")).items();
        assertThat(items).filteredOn(item -> item.get("topic").s().equals("Advertised")).singleElement()
                .satisfies(item -> assertThat(item.get("advertisedAt").s()).endsWith("Z"));
    }

    private static Map<String, String> attributes(String queue) {
        String url = aws.clients().sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl();
        return aws.clients().sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings();
    }
}
