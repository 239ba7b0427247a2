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
import org.rapidsrivers.aws.AwsProvisioner;
import org.rapidsrivers.control.ControlPlane;
import org.rapidsrivers.control.ControlPlaneHandler;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.ports.Backend;
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

    private PlaneHost(List<StreamHost> hosts, AutoCloseable services) {
        this.hosts = hosts;
        this.services = services;
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
        List<StreamHost> started = make.apply(backend, new Choices(settings, fanOut, holder()));
        started.forEach(StreamHost::pollOnce);
        started.forEach(StreamHost::start);
        // on an emulated stage, the deployed services' mappings run here too (on AWS, Lambda runs them)
        AutoCloseable services = backend instanceof AwsBackend aws && fanOut == null
                ? DeployedServices.start(aws, System.err::println) : () -> { };
        return new PlaneHost(new ArrayList<>(started), services);
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
                                backend.clock()), backend.controlDeadLetters())
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

    private static StreamHost kinesisHost(AwsBackend aws, Plane plane, RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                          HostSettings settings, String holder) {
        String stream = plane.stream(aws.settings().rapidsStream(), aws.settings().controlStream());
        DynamoLeases leases = new DynamoLeases(aws.clients().dynamoDb(), aws.stage());
        KinesisSource[] source = new KinesisSource[1];
        LambdaProcessor function = new LambdaProcessor(handler, plane.consumer(), () -> source[0].streamArn(),
                aws.clients().region().id(), settings.invocationTimeout());
        source[0] = new KinesisSource(aws.clients().kinesis(), leases, aws.stage().value(), stream, plane.consumer(), function,
                settings, onFailure(aws, plane.deadLetterQueue(aws.stage())), Clock.systemUTC());
        return new StreamHost(source[0], settings, holder, PlaneLog.of(aws.stage().value(), plane.consumer()));
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
        if (first != null) {
            throw first;
        }
    }

    /** Understands what a caller chose for the hosts: settings, a fan-out handler, who holds the leases. */
    private record Choices(HostSettings settings, RequestHandler<KinesisEvent, StreamsEventResponse> fanOut, String holder) {
    }
}
