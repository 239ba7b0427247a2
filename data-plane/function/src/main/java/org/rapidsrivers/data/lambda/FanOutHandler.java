package org.rapidsrivers.data.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.lambda.LambdaEnvironment;
import org.rapidsrivers.aws.lambda.LambdaKinesis;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.FailureNotes;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.plane.Router;
import org.rapidsrivers.core.plane.TrafficRecorder;
import org.rapidsrivers.data.FanOut;

/**
 * Understands the data plane's Lambda: a batch of rapids records in, published to SNS in batches of
 * ten, the unroutable ones to the fan-out dead-letter queue, and the records still failing out as
 * batch item failures so Lambda retries from the first of them.
 */
public final class FanOutHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private final FanOut plane;
    private final PlaneLog log;
    private final FailureNotes notes;

    public FanOutHandler() {
        this(AwsBackend.open(LambdaEnvironment.settings()));
    }

    public FanOutHandler(AwsBackend backend) {
        this(backend.router(), backend.fanOutDeadLetters(), backend.traffic(), PlaneLog.of(backend.stage().value(), Plane.FANOUT.consumer()),
                backend.failureNotes());
    }

    /** With another router: the benchmark's comparison with one Publish per event, and the tests' fakes. */
    public FanOutHandler(Router router, DeadLetters deadLetters, TrafficRecorder traffic, PlaneLog log) {
        this(router, deadLetters, traffic, log, FailureNotes.NONE);
    }

    public FanOutHandler(Router router, DeadLetters deadLetters, TrafficRecorder traffic, PlaneLog log, FailureNotes notes) {
        this.plane = new FanOut(router, deadLetters, traffic);
        this.log = log;
        this.notes = notes;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return LambdaKinesis.handle(event, plane, log, notes, Plane.FANOUT.consumer());
    }
}
