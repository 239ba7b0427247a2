package org.rapidsrivers.aws;

import java.util.List;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.RouteResult;
import org.rapidsrivers.core.plane.Router;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Understands the original Node example's fan-out, kept only so the benchmark can compare against it:
 * one SNS Publish per event, one after the other.
 */
public final class NaiveSnsRouter implements Router {
    private final SnsClient sns;
    private final SnsTopic topic;

    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    NaiveSnsRouter(SnsClient sns, SnsTopic topic) {
        this.sns = sns;
        this.topic = topic;
    }

    @Override
    public RouteResult route(List<EventRecord> events) {
        for (int i = 0; i < events.size(); i++) {
            EventRecord routed = events.get(i);
            try {
                calls.incrementAndGet();
                sns.publish(b -> b.topicArn(topic.arn()).message(routed.event().toJson())
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
