package org.rapidsrivers.control.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.lambda.LambdaEnvironment;
import org.rapidsrivers.aws.lambda.LambdaKinesis;
import org.rapidsrivers.control.ControlPlane;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.plane.FailureNotes;
import org.rapidsrivers.core.plane.PlaneLog;

/**
 * Understands the control plane's Lambda: a batch of control-stream records in, the commands applied
 * through the AWS adapters, and the records to retry from out as batch item failures. The clients
 * are made once per execution environment (in the constructor, so SnapStart snapshots them), never
 * in a static initialiser.
 */
public final class ControlPlaneHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private final ControlPlane plane;
    private final PlaneLog log;
    private final FailureNotes notes;

    /** What Lambda calls: settings from the environment the stack gives the function. */
    public ControlPlaneHandler() {
        this(AwsBackend.open(LambdaEnvironment.settings()));
    }

    /** What the local host and the tests call, with a backend of their own. */
    public ControlPlaneHandler(AwsBackend backend) {
        this(new ControlPlane(backend.rivers(), backend.subscriptions(), backend.catalog(), backend.rapids(),
                Clock.systemUTC(), backend.ledger()), PlaneLog.of(backend.stage().value(), Plane.CONTROL.consumer()),
                backend.failureNotes());
    }

    /** With a plane on any ports: the handler's own tests, on recorded events and fakes. */
    ControlPlaneHandler(ControlPlane plane, PlaneLog log, FailureNotes notes) {
        this.plane = plane;
        this.log = log;
        this.notes = notes;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return LambdaKinesis.handle(event, plane, log, notes, Plane.CONTROL.consumer());
    }
}
