package org.rapidsrivers.hosts;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsProvisioner;
import org.rapidsrivers.control.ControlPlane;
import org.rapidsrivers.control.ControlPlaneHandler;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.data.FanOut;
import org.rapidsrivers.data.FanOutHandler;
import org.rapidsrivers.embedded.EmbeddedBackend;
import org.rapidsrivers.embedded.EmbeddedStreamHost;

/**
 * Understands running a stage's two planes inside this process, which any process may do: over the
 * embedded log (the planes' logic in a stream host), or over Kinesis (the real Lambda handler classes
 * invoked the way an event source mapping would, for emulators that cannot run Java Lambdas). Each
 * plane works only while this process holds its stream's lease, so several processes may host at
 * once and one of them does the work. A process that starts hosting catches up once before it
 * returns, so a command that follows sees what earlier processes sent.
 */
public final class PlaneHost implements AutoCloseable {
    public static final String CONTROL = "control-plane";
    public static final String FAN_OUT = "data-plane";

    private final List<AutoCloseable> hosts;

    private PlaneHost(List<AutoCloseable> hosts) {
        this.hosts = hosts;
    }

    public static PlaneHost start(Backend backend) {
        return start(backend, KinesisHostSettings.defaults(), null);
    }

    /** With the Kinesis host's settings, and (for the benchmark's comparison) another fan-out handler. */
    public static PlaneHost start(Backend backend, KinesisHostSettings settings,
                                  RequestHandler<KinesisEvent, StreamsEventResponse> fanOut) {
        if (backend instanceof EmbeddedBackend embedded) {
            List<EmbeddedStreamHost> started = List.of(controlHost(embedded), fanOutHost(embedded));
            started.forEach(EmbeddedStreamHost::pollOnce);
            started.forEach(EmbeddedStreamHost::start);
            return new PlaneHost(new ArrayList<>(started));
        }
        if (backend instanceof AwsBackend aws) {
            // the leases and checkpoints of the hosts live beside the stage, made on first use
            new AwsProvisioner(aws.clients(), aws.settings()).hostTable();
            KinesisHostSettings reading = DeployedPlanes.settingsFor(aws, settings);
            String owner = ProcessHandle.current().pid() + "-" + UUID.randomUUID();
            List<KinesisHost> started = List.of(
                    kinesisHost(aws, aws.settings().controlStream(), CONTROL, new ControlPlaneHandler(aws),
                            onFailure(aws, aws.stage().controlDeadLetterQueue()), reading, owner),
                    kinesisHost(aws, aws.settings().rapidsStream(), FAN_OUT, fanOut != null ? fanOut : new FanOutHandler(aws),
                            onFailure(aws, aws.stage().fanOutDeadLetterQueue()), reading, owner));
            started.forEach(KinesisHost::pollOnce);
            started.forEach(KinesisHost::start);
            return new PlaneHost(new ArrayList<>(started));
        }
        throw new IllegalArgumentException("cannot host the planes of a " + backend.getClass().getSimpleName());
    }

    /** The control plane over an embedded stage's control stream, unstarted: tests drive it one pass at a time. */
    public static EmbeddedStreamHost controlHost(EmbeddedBackend backend) {
        ControlPlane plane = new ControlPlane(backend.rivers(), backend.subscriptions(), backend.catalog(), backend.rapids(),
                backend.clock());
        return backend.streamHost(backend.controlStreamName(), CONTROL, plane, backend.controlDeadLetters());
    }

    /** The fan-out over an embedded stage's rapids, unstarted. */
    public static EmbeddedStreamHost fanOutHost(EmbeddedBackend backend) {
        FanOut plane = new FanOut(backend.router(), backend.fanOutDeadLetters(), backend.traffic());
        return backend.streamHost(backend.rapidsStream(), FAN_OUT, plane, backend.fanOutDeadLetters());
    }

    private static KinesisHost kinesisHost(AwsBackend aws, String stream, String function,
                                           RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                           java.util.function.Consumer<String> onFailure,
                                           KinesisHostSettings settings, String owner) {
        DynamoHostState state = new DynamoHostState(aws.clients().dynamoDb(), aws.stage(), Clock.systemUTC());
        return new KinesisHost(aws.clients().kinesis(), state, aws.stage().value(), stream, function, handler, onFailure,
                settings, owner, aws.clients().region().id(), Clock.systemUTC());
    }

    /** The plane's on-failure destination: its dead-letter queue, as the deployed mapping has it. */
    private static java.util.function.Consumer<String> onFailure(AwsBackend aws, String queue) {
        return body -> {
            String url = aws.clients().sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl();
            aws.clients().sqs().sendMessage(b -> b.queueUrl(url).messageBody(body));
        };
    }

    /** Drains what is waiting and lets the leases go, so the next process takes over at once. */
    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (AutoCloseable host : hosts) {
            try {
                host.close();
            } catch (Exception e) {
                first = first != null ? first : new IllegalStateException("closing a plane host: " + e.getMessage(), e);
            }
        }
        hosts.clear();
        if (first != null) {
            throw first;
        }
    }
}
