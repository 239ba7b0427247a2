package org.rapidsrivers.local.kinesis;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.control.ControlPlaneHandler;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Backend;
import org.rapidsrivers.core.ports.Catalog;
import org.rapidsrivers.core.ports.ControlStream;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.ports.Rapids;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Subscriptions;
import org.rapidsrivers.data.FanOutHandler;

/**
 * Understands an AWS stage whose planes run in this process instead of in Lambdas: every port is the
 * AWS backend's, and hosting the planes starts a Kinesis host per stream that invokes the real
 * handler classes. It is how rr works against emulators that cannot run Java Lambdas.
 */
public final class HostedAwsBackend implements Backend {
    private final AwsBackend aws;
    private final KinesisHostSettings settings;
    private final String owner = ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    private List<KinesisHost> hosts = List.of();
    private RequestHandler<KinesisEvent, StreamsEventResponse> fanOut;

    public HostedAwsBackend(AwsBackend aws, KinesisHostSettings settings) {
        this.aws = aws;
        this.settings = settings;
    }

    /** With the fan-out done another way: the benchmark's comparison with one Publish per event. */
    public HostedAwsBackend withFanOut(RequestHandler<KinesisEvent, StreamsEventResponse> handler) {
        this.fanOut = handler;
        return this;
    }

    public AwsBackend aws() {
        return aws;
    }

    @Override
    public Stage stage() {
        return aws.stage();
    }

    @Override
    public Rapids rapids() {
        return aws.rapids();
    }

    @Override
    public ControlStream controlStream() {
        return aws.controlStream();
    }

    @Override
    public Rivers rivers() {
        return aws.rivers();
    }

    @Override
    public Subscriptions subscriptions() {
        return aws.subscriptions();
    }

    @Override
    public Catalog catalog() {
        return aws.catalog();
    }

    @Override
    public Outcomes outcomes() {
        return aws.outcomes();
    }

    @Override
    public synchronized void hostPlanes() {
        if (!hosts.isEmpty()) {
            return;
        }
        hosts = List.of(controlHost(), fanOutHost());
        hosts.forEach(KinesisHost::pollOnce);
        hosts.forEach(KinesisHost::start);
    }

    KinesisHost controlHost() {
        return host(aws.settings().controlStream(), "control-plane", new ControlPlaneHandler(aws), aws.controlDeadLetters());
    }

    KinesisHost fanOutHost() {
        RequestHandler<KinesisEvent, StreamsEventResponse> handler = fanOut != null ? fanOut : new FanOutHandler(aws);
        return host(aws.settings().rapidsStream(), "data-plane", handler, aws.fanOutDeadLetters());
    }

    private KinesisHost host(String stream, String function, RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                             org.rapidsrivers.core.ports.DeadLetters onFailure) {
        DynamoHostState state = new DynamoHostState(aws.clients().dynamoDb(), aws.stage(), Clock.systemUTC());
        return new KinesisHost(aws.clients().kinesis(), state, aws.stage().value(), stream, function, handler, onFailure,
                settings, owner, aws.clients().region().id(), Clock.systemUTC());
    }

    @Override
    public synchronized void close() {
        try {
            hosts.forEach(KinesisHost::close);
        } finally {
            hosts = List.of();
            aws.close();
        }
    }
}
