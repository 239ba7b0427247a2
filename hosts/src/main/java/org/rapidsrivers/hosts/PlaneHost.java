package org.rapidsrivers.hosts;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.provision.AwsProvisioner;
import org.rapidsrivers.control.ControlPlane;
import org.rapidsrivers.control.ControlPlaneHandler;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.StageOptions;
import org.rapidsrivers.data.FanOut;
import org.rapidsrivers.data.FanOutHandler;
import org.rapidsrivers.embedded.EmbeddedBackend;

/**
 * Understands running a stage's two planes inside this process, which any process may do: over the
 * embedded log (the planes' logic, each batch in one transaction with its checkpoint), or over
 * Kinesis (the real Lambda handler classes invoked the way an event source mapping would, for
 * emulators that cannot run Java Lambdas); one {@link StreamHost} per plane either way. Each plane
 * works only while this process holds its stream's lease, so several processes may host at once and
 * one of them does the work. A process that starts hosting catches up once before it returns, so a
 * command that follows sees what earlier processes sent.
 */
public final class PlaneHost implements AutoCloseable {
    /** How each kind of backend has its planes hosted: by kind, so adding a backend adds a line. */
    private static final Map<String, BiFunction<Backend, Choices, List<StreamHost>>> HOSTS = Map.of(
            StageOptions.EMBEDDED, (backend, choices) -> embeddedHosts((EmbeddedBackend) backend, choices),
            StageOptions.AWS, (backend, choices) -> kinesisHosts((AwsBackend) backend, choices));

    private final List<StreamHost> hosts;
    private final AutoCloseable services;
    /** What the hosts use and nothing else does (the stand-in's own clients): closed after them. */
    private final List<AutoCloseable> afterHosts;

    private PlaneHost(List<StreamHost> hosts, AutoCloseable services, List<AutoCloseable> afterHosts) {
        this.hosts = hosts;
        this.services = services;
        this.afterHosts = afterHosts;
    }

    public static PlaneHost start(Backend backend) {
        return start(backend, null, null);
    }

    /**
     * With these host settings (null: the defaults of the backend's kind) and, for the benchmark's
     * comparison on AWS, another fan-out handler (null: the real one).
     */
    public static PlaneHost start(Backend backend, HostSettings settings,
                                  RequestHandler<KinesisEvent, StreamsEventResponse> fanOut) {
        BiFunction<Backend, Choices, List<StreamHost>> make = HOSTS.get(backend.kind());
        if (make == null) {
            throw new IllegalArgumentException("cannot host the planes of a " + backend.kind() + " backend");
        }
        Choices choices = new Choices(settings, fanOut, holder());
        List<StreamHost> started = new ArrayList<>(make.apply(backend, choices));
        started.forEach(StreamHost::pollOnce);
        started.forEach(StreamHost::start);
        // the archive's stand-in on an emulator does not hold up the command: it catches up as it goes, and
        // drains what is waiting when the process ends. It speaks to the emulator with clients of its own,
        // so what it calls (a delivery stream's work on AWS) is never counted as rr's own calls.
        List<AutoCloseable> closing = new ArrayList<>();
        if (backend instanceof AwsBackend aws && fanOut == null && aws.settings().emulated()) {
            AwsBackend own = AwsBackend.open(aws.settings());
            closing.add(own);
            archiveHost(own, choices).ifPresent(host -> {
                host.start();
                started.add(host);
            });
        }
        // on an emulated stage, the deployed services' mappings run here too (on AWS, Lambda runs them)
        AutoCloseable services = backend instanceof AwsBackend aws && fanOut == null
                ? DeployedServices.start(aws, System.err::println) : () -> { };
        return new PlaneHost(new ArrayList<>(started), services, closing);
    }

    /** The control plane over an embedded stage's control stream, unstarted: tests drive it one pass at a time. */
    public static StreamHost controlHost(EmbeddedBackend backend) {
        return embeddedHost(backend, Plane.CONTROL, new Choices(null, null, holder()));
    }

    /** The fan-out over an embedded stage's rapids, unstarted. */
    public static StreamHost fanOutHost(EmbeddedBackend backend) {
        return embeddedHost(backend, Plane.FANOUT, new Choices(null, null, holder()));
    }

    private static List<StreamHost> embeddedHosts(EmbeddedBackend backend, Choices choices) {
        return List.of(embeddedHost(backend, Plane.CONTROL, choices), embeddedHost(backend, Plane.FANOUT, choices));
    }

    private static StreamHost embeddedHost(EmbeddedBackend backend, Plane plane, Choices choices) {
        HostSettings settings = choices.settings() != null ? choices.settings() : HostSettings.embedded();
        EmbeddedSource source = plane == Plane.CONTROL
                ? new EmbeddedSource(backend.streams(), backend.controlStreamName(), plane.consumer(),
                        new ControlPlane(backend.rivers(), backend.subscriptions(), backend.catalog(), backend.rapids(),
                                backend.clock(), backend.ledger()), backend.controlDeadLetters())
                : new EmbeddedSource(backend.streams(), backend.rapidsStream(), plane.consumer(),
                        new FanOut(backend.router(), backend.fanOutDeadLetters(), backend.traffic()), backend.fanOutDeadLetters());
        return new StreamHost(source, settings, choices.holder(), PlaneLog.of(backend.stage().value(), plane.consumer()));
    }

    private static List<StreamHost> kinesisHosts(AwsBackend aws, Choices choices) {
        // the leases and checkpoints of the hosts live beside the stage, made on first use
        new AwsProvisioner(aws.clients(), aws.settings()).hostTable();
        HostSettings settings = DeployedPlanes.settingsFor(aws,
                choices.settings() != null ? choices.settings() : HostSettings.kinesis());
        return List.of(
                kinesisHost(aws, Plane.CONTROL, new ControlPlaneHandler(aws), settings, choices.holder()),
                kinesisHost(aws, Plane.FANOUT, choices.fanOut() != null ? choices.fanOut() : new FanOutHandler(aws),
                        settings, choices.holder()));
    }

    private static java.util.Optional<StreamHost> archiveHost(AwsBackend aws, Choices choices) {
        HostSettings settings = DeployedPlanes.settingsFor(aws,
                choices.settings() != null ? choices.settings() : HostSettings.kinesis());
        return archiveStandIn(aws).map(standIn -> kinesisHost(aws, aws.settings().rapidsStream(), ARCHIVER, standIn,
                Plane.FANOUT.deadLetterQueue(aws.stage()), settings, choices.holder()));
    }

    /** The consumer name of the archive's stand-in on an emulator: the delivery stream's work, as a consumer of the rapids. */
    static final String ARCHIVER = "archiver";

    /**
     * On an emulator, whose Firehose reads no Kinesis source, this host writes the archive as the delivery
     * stream would; on AWS the delivery stream of the stage's stack does, and nothing here.
     */
    private static java.util.Optional<ArchiveStandIn> archiveStandIn(AwsBackend aws) {
        if (!aws.settings().emulated()) {
            return java.util.Optional.empty();
        }
        software.amazon.awssdk.services.s3.S3Client s3 = S3Archive.client(aws);
        String bucket = S3Archive.bucketOf(aws);
        if (!S3Archive.exists(s3, bucket)) {
            System.err.println("stage " + aws.stage() + " has no archive bucket (" + bucket + "): events are not archived;"
                    + " rr provision makes it");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ArchiveStandIn(s3, bucket, aws.stage(), Clock.systemUTC()));
    }

    private static StreamHost kinesisHost(AwsBackend aws, Plane plane, RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                          HostSettings settings, String holder) {
        return kinesisHost(aws, plane.stream(aws.settings().rapidsStream(), aws.settings().controlStream()), plane.consumer(),
                handler, plane.deadLetterQueue(aws.stage()), settings, holder);
    }

    private static StreamHost kinesisHost(AwsBackend aws, String stream, String consumer,
                                          RequestHandler<KinesisEvent, StreamsEventResponse> handler, String deadLetterQueue,
                                          HostSettings settings, String holder) {
        DynamoLeases leases = new DynamoLeases(aws.clients().dynamoDb(), aws.stage());
        KinesisSource[] source = new KinesisSource[1];
        LambdaProcessor function = new LambdaProcessor(handler, consumer, () -> source[0].streamArn(),
                aws.clients().region().id(), settings.invocationTimeout());
        source[0] = new KinesisSource(aws.clients().kinesis(), leases, aws.stage().value(), stream, consumer, function,
                settings, onFailure(aws, deadLetterQueue), Clock.systemUTC());
        return new StreamHost(source[0], settings, holder, PlaneLog.of(aws.stage().value(), consumer));
    }

    /** The plane's on-failure destination: its dead-letter queue, as the deployed mapping has it. */
    private static Consumer<String> onFailure(AwsBackend aws, String queue) {
        return body -> AwsErrors.call("sqs:SendMessage", "SQS queue " + queue, aws.stage().value(), () -> {
            String url = aws.clients().sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl();
            return aws.clients().sqs().sendMessage(b -> b.queueUrl(url).messageBody(body));
        });
    }

    private static String holder() {
        return ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    }

    /** Drains what is waiting and lets the leases go, so the next process takes over at once. */
    @Override
    public synchronized void close() {
        RuntimeException first = null;
        try {
            services.close();
        } catch (Exception e) {
            first = new IllegalStateException("stopping the deployed services run here: " + e.getMessage(), e);
        }
        for (StreamHost host : hosts) {
            try {
                host.close();
            } catch (RuntimeException e) {
                first = first != null ? first : new IllegalStateException("closing a plane host: " + e.getMessage(), e);
            }
        }
        hosts.clear();
        for (AutoCloseable each : afterHosts) {
            try {
                each.close();
            } catch (Exception e) {
                first = first != null ? first : new IllegalStateException("closing the archive's clients: " + e.getMessage(), e);
            }
        }
        afterHosts.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Understands what a caller chose for the hosts: settings, a fan-out handler, who holds the leases. */
    private record Choices(HostSettings settings, RequestHandler<KinesisEvent, StreamsEventResponse> fanOut, String holder) {
    }
}
