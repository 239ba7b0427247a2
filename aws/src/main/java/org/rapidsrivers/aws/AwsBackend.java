package org.rapidsrivers.aws;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.rapidsrivers.aws.operate.AwsOperations;
import org.rapidsrivers.aws.rivers.RiverQueues;
import org.rapidsrivers.aws.rivers.SnsRouter;
import org.rapidsrivers.aws.rivers.SnsSubscriptions;
import org.rapidsrivers.aws.rivers.SnsTopic;
import org.rapidsrivers.aws.rivers.StageTopics;
import org.rapidsrivers.aws.rivers.TopicRoutes;
import org.rapidsrivers.aws.rivers.SqsDeadLetters;
import org.rapidsrivers.aws.rivers.SqsRivers;
import org.rapidsrivers.aws.streams.KinesisControlStream;
import org.rapidsrivers.aws.streams.KinesisRapids;
import org.rapidsrivers.aws.streams.KinesisStream;
import org.rapidsrivers.aws.tables.DynamoCatalog;
import org.rapidsrivers.aws.tables.DynamoOutcomes;
import org.rapidsrivers.aws.tables.DynamoPond;
import org.rapidsrivers.aws.tables.DynamoFailureNotes;
import org.rapidsrivers.aws.tables.DynamoTraffic;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.Router;
import org.rapidsrivers.core.plane.TrafficRecorder;
import org.rapidsrivers.core.ports.Catalog;
import org.rapidsrivers.core.ports.ControlStream;
import org.rapidsrivers.core.ports.OutcomeLedger;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.ports.Rapids;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Subscriptions;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.StageOptions;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Understands a stage on AWS as the shell, services and Lambda handlers see it: every port on its
 * AWS service, sharing one client per service. The planes run in Lambdas here; a local host (in
 * local/) can run them instead, for emulators that cannot run Java Lambdas.
 */
public final class AwsBackend implements Backend {
    private final AwsSettings settings;
    private final AwsClients clients;
    private final KinesisRapids rapids;
    private final KinesisControlStream controlStream;
    private final SqsRivers rivers;
    private final SnsSubscriptions subscriptions;
    private final DynamoCatalog catalog;
    private final DynamoOutcomes outcomes;
    private final SnsRouter router;
    private final SnsTopic topic;
    private final StageTopics topics;
    private final TopicRoutes routes;
    private final SqsDeadLetters fanOutDeadLetters;
    private final SqsDeadLetters controlDeadLetters;
    private final DynamoTraffic traffic;
    private final AwsOperations operations;

    private final Clock clock;

    private AwsBackend(AwsSettings settings, AwsClients clients, Clock clock) {
        this.clock = clock;
        Stage stage = settings.stage();
        this.settings = settings;
        this.clients = clients;
        SnsTopic topic = new SnsTopic(clients.sns(), stage.rapidsTopic(), stage.value(), settings.topicArn());
        RiverQueues queues = new RiverQueues(clients.sqs(), stage);
        this.rapids = new KinesisRapids(new KinesisStream(clients.kinesis(), settings.rapidsStream(), stage.value()));
        this.controlStream = new KinesisControlStream(new KinesisStream(clients.kinesis(), settings.controlStream(), stage.value()));
        this.rivers = new SqsRivers(clients.sqs(), stage, queues, topic, new EmulatorGaps(settings.emulated()));
        this.topics = new StageTopics(clients.sns(), stage, topic, settings.topicQuota());
        this.routes = new TopicRoutes(clients.dynamoDb(), stage);
        this.subscriptions = new SnsSubscriptions(clients.sns(), stage, queues, topics, routes);
        this.catalog = new DynamoCatalog(clients.dynamoDb(), stage, clock);
        this.router = new SnsRouter(clients.sns(), topics, routes::read, settings.publishConcurrency());
        this.topic = topic;
        this.fanOutDeadLetters = new SqsDeadLetters(clients.sqs(), queues, stage.fanOutDeadLetterQueue(),
                settings.rapidsStream(), stage, clock);
        this.controlDeadLetters = new SqsDeadLetters(clients.sqs(), queues, stage.controlDeadLetterQueue(),
                settings.controlStream(), stage, clock);
        this.traffic = new DynamoTraffic(clients.dynamoDb(), stage);
        this.operations = new AwsOperations(clients, settings, queues, subscriptions, traffic, clock);
        // outcomes are read from the control plane's ledger, which only its role may write, not from the rapids
        this.outcomes = new DynamoOutcomes(clients.dynamoDb(), stage);
        operations.ledgerIn(outcomes);
    }

    public static AwsBackend open(AwsSettings settings) {
        return open(settings, List.of());
    }

    /** With interceptors on every client: call counting in the bench, injected faults in tests. */
    public static AwsBackend open(AwsSettings settings, List<ExecutionInterceptor> interceptors) {
        return new AwsBackend(settings, new AwsClients(settings, interceptors), Clock.systemUTC());
    }

    /** With a clock of the caller's (tests that reach expiries without waiting for them). */
    public static AwsBackend open(AwsSettings settings, Clock clock) {
        return new AwsBackend(settings, new AwsClients(settings, List.of()), clock);
    }

    /** Where the control plane writes its outcomes (what {@link #outcomes()} reads). */
    @Override
    public OutcomeLedger ledger() {
        return outcomes;
    }

    public AwsSettings settings() {
        return settings;
    }

    public AwsClients clients() {
        return clients;
    }

    @Override
    public String kind() {
        return StageOptions.AWS;
    }

    @Override
    public Stage stage() {
        return settings.stage();
    }

    @Override
    public Rapids rapids() {
        return rapids;
    }

    @Override
    public ControlStream controlStream() {
        return controlStream;
    }

    @Override
    public Rivers rivers() {
        return rivers;
    }

    @Override
    public SnsSubscriptions subscriptions() {
        return subscriptions;
    }

    @Override
    public Catalog catalog() {
        return catalog;
    }

    @Override
    public Outcomes outcomes() {
        return outcomes;
    }

    @Override
    public Operations operations() {
        return operations;
    }

    @Override
    public Pond pond(String service) {
        return new DynamoPond(clients.dynamoDb(), settings.stage(), service, clock);
    }

    /** Keeps the redrive journals in this directory (the shell's data directory). */
    public AwsBackend keepingJournalsIn(Path directory) {
        operations.journalsIn(directory);
        return this;
    }

    /** Where the fan-out notes what it routed. */
    public TrafficRecorder traffic() {
        return traffic;
    }

    /** Why the planes' handlers failed records, kept for their dead letters (Lambda's say only that it gave up). */
    public DynamoFailureNotes failureNotes() {
        return new DynamoFailureNotes(clients.dynamoDb(), stage(), Clock.systemUTC());
    }

    public Router router() {
        return router;
    }

    /** The ARN of the stage's rapids topic, found by name once. */
    public String rapidsTopicArn() {
        return topic.arn();
    }

    /** The SNS topics the stage's rivers subscribe to: the rapids topic, then those made past its quota. */
    public StageTopics topics() {
        return topics;
    }

    /** Which types have a river on each topic past the rapids topic (the fan-out reads it once a batch). */
    public TopicRoutes routes() {
        return routes;
    }

    public DeadLetters fanOutDeadLetters() {
        return fanOutDeadLetters;
    }

    public DeadLetters controlDeadLetters() {
        return controlDeadLetters;
    }

    @Override
    public void close() {
        clients.close();
    }
}
