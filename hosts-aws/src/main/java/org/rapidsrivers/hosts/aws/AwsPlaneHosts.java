package org.rapidsrivers.hosts.aws;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.provision.AwsProvisioner;
import org.rapidsrivers.control.lambda.ControlPlaneHandler;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.StageOptions;
import org.rapidsrivers.data.lambda.FanOutHandler;
import org.rapidsrivers.hosts.HostSettings;
import org.rapidsrivers.hosts.PlaneHost;
import org.rapidsrivers.hosts.PlaneHosts;
import org.rapidsrivers.hosts.StreamHost;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Understands the planes of a stage on AWS (or an emulator) hosted in a process: the real Lambda handler
 * classes invoked over Kinesis the way an event source mapping would, for emulators that cannot run Java
 * Lambdas. On an emulator the archive's stand-in and the deployed services' mappings run here too (on AWS a
 * delivery stream and Lambda run them).
 */
public final class AwsPlaneHosts implements PlaneHosts {
    /** The consumer name of the archive's stand-in on an emulator: the delivery stream's work, as a consumer of the rapids. */
    static final String ARCHIVER = "archiver";

    @Override
    public String kind() {
        return StageOptions.AWS;
    }

    @Override
    public PlaneHost start(Backend backend, HostSettings settings, String holder) {
        return start((AwsBackend) backend, settings, null, holder);
    }

    /** For the benchmark's comparison, another fan-out handler (null: the real one, and the rest that runs beside it). */
    public static PlaneHost startOn(AwsBackend aws, HostSettings settings, RequestHandler<KinesisEvent, StreamsEventResponse> fanOut) {
        return start(aws, settings, fanOut, PlaneHost.holder());
    }

    private static PlaneHost start(AwsBackend aws, HostSettings settings, RequestHandler<KinesisEvent, StreamsEventResponse> fanOut,
                                   String holder) {
        // the leases and checkpoints of the hosts live beside the stage, made on first use
        new AwsProvisioner(aws.clients(), aws.settings()).hostTable();
        HostSettings chosen = DeployedPlanes.settingsFor(aws, settings != null ? settings : HostSettings.kinesis());
        List<StreamHost> planes = List.of(
                host(aws, Plane.CONTROL, new ControlPlaneHandler(aws), chosen, holder),
                host(aws, Plane.FANOUT, fanOut != null ? fanOut : new FanOutHandler(aws), chosen, holder));
        List<AutoCloseable> after = new ArrayList<>();
        PlaneHost host = PlaneHost.started(planes, List.of(), after);
        if (fanOut == null && aws.settings().emulated()) {
            // the archive's stand-in does not hold up the command: it catches up as it goes, and drains what is
            // waiting when the process ends. It speaks to the emulator with clients of its own, so what it calls
            // (a delivery stream's work on AWS) is never counted as rr's own calls.
            AwsBackend own = AwsBackend.open(aws.settings());
            after.add(own);
            archiveStandIn(own).ifPresent(standIn -> host.alsoRunning(host(own, own.settings().rapidsStream(), ARCHIVER, standIn,
                    Plane.FANOUT.deadLetterQueue(own.stage()), chosen, holder)));
        }
        if (fanOut == null) {
            // on an emulated stage, the deployed services' mappings run here too (on AWS, Lambda runs them)
            host.closingFirst(DeployedServices.start(aws, chosen.serviceJars(), System.err::println));
        }
        return host;
    }

    /**
     * On an emulator, whose Firehose reads no Kinesis source, this host writes the archive as the delivery
     * stream would; on AWS the delivery stream of the stage's stack does, and nothing here.
     */
    private static Optional<ArchiveStandIn> archiveStandIn(AwsBackend aws) {
        S3Client s3 = S3Archive.client(aws);
        String bucket = S3Archive.bucketOf(aws);
        if (!S3Archive.exists(s3, bucket)) {
            System.err.println("stage " + aws.stage() + " has no archive bucket (" + bucket + "): events are not archived;"
                    + " rr provision makes it");
            return Optional.empty();
        }
        return Optional.of(new ArchiveStandIn(s3, bucket, aws.stage(), Clock.systemUTC()));
    }

    private static StreamHost host(AwsBackend aws, Plane plane, RequestHandler<KinesisEvent, StreamsEventResponse> handler,
                                   HostSettings settings, String holder) {
        return host(aws, plane.stream(aws.settings().rapidsStream(), aws.settings().controlStream()), plane.consumer(),
                handler, plane.deadLetterQueue(aws.stage()), settings, holder);
    }

    private static StreamHost host(AwsBackend aws, String stream, String consumer,
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
}
