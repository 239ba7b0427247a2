package org.rapidsrivers.cli.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rapidsrivers.aws.rivers.SnsRouter;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.RouteResult;
import org.rapidsrivers.core.plane.Router;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Understands the original Node example's fan-out, kept only so the benchmark can compare against it:
 * one SNS Publish per event, one after the other. It lives with the benchmark, never in a Lambda jar.
 */
final class NaiveSnsRouter implements Router {
    private final SnsClient sns;
    private final String topicArn;

    private final AtomicLong calls = new AtomicLong();

    NaiveSnsRouter(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public RouteResult route(List<EventRecord> events) {
        for (int i = 0; i < events.size(); i++) {
            EventRecord routed = events.get(i);
            try {
                calls.incrementAndGet();
                sns.publish(b -> b.topicArn(topicArn).message(routed.event().toJson())
                        .messageAttributes(SnsRouter.attributes(routed.event())));
            } catch (SdkException e) {
                return RouteResult.failedAt(i, "SNS Publish failed: " + e.getMessage());
            }
        }
        return RouteResult.delivered();
    }

    @Override
    public long calls() {
        return calls.get();
    }
}
