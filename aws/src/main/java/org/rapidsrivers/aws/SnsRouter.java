package org.rapidsrivers.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.EventRecord;
import org.rapidsrivers.core.ports.RouteResult;
import org.rapidsrivers.core.ports.Router;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/**
 * Understands how to fan events out through SNS: PublishBatch of up to 10 events (and 256 KiB) a call,
 * each with the {@code event_type} and {@code event_domain} attributes the rivers' filter policies
 * match. Only the failed entries of a partial batch are sent again, with backoff, so nothing in a
 * batch is published twice; an event still failing after the last attempt stops the routing there.
 */
public final class SnsRouter implements Router {
    static final int MAX_ENTRIES = 10;
    static final int MAX_BATCH_BYTES = 256 * 1024;
    static final int ATTEMPTS = 5;

    private final SnsClient sns;
    private final SnsTopic topic;

    SnsRouter(SnsClient sns, SnsTopic topic) {
        this.sns = sns;
        this.topic = topic;
    }

    @Override
    public RouteResult route(List<EventRecord> events) {
        int from = 0;
        while (from < events.size()) {
            int to = batchEnd(events, from);
            RouteResult result = publish(events.subList(from, to), from);
            if (!result.allDelivered()) {
                return result;
            }
            from = to;
        }
        return RouteResult.delivered();
    }

    /** The end of the batch starting at {@code from}: at most 10 events and 256 KiB of messages and attributes. */
    private static int batchEnd(List<EventRecord> events, int from) {
        int bytes = 0;
        int to = from;
        while (to < events.size() && to - from < MAX_ENTRIES) {
            int size = events.get(to).event().sizeInBytes();
            if (to > from && bytes + size > MAX_BATCH_BYTES) {
                break;
            }
            bytes += size;
            to++;
        }
        return to;
    }

    private RouteResult publish(List<EventRecord> batch, int offset) {
        List<PublishBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            pending.add(entry("e" + i, batch.get(i).event()));
        }
        String lastProblem = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<PublishBatchRequestEntry> sending = pending;
            PublishBatchResponse response;
            try {
                response = sns.publishBatch(b -> b.topicArn(topic.arn()).publishBatchRequestEntries(sending));
            } catch (SdkException e) {
                lastProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
                Backoff.sleep(attempt);
                continue;
            }
            if (response.failed().isEmpty()) {
                return RouteResult.delivered();
            }
            List<String> failedIds = response.failed().stream().map(BatchResultErrorEntry::id).toList();
            BatchResultErrorEntry first = response.failed().get(0);
            lastProblem = first.code() + ": " + first.message();
            pending = sending.stream().filter(e -> failedIds.contains(e.id())).toList();
            Backoff.sleep(attempt);
        }
        int firstFailed = pending.stream().mapToInt(e -> Integer.parseInt(e.id().substring(1))).min().orElse(0);
        return RouteResult.failedAt(offset + firstFailed, "SNS PublishBatch to " + topic.name() + " still failing after "
                + ATTEMPTS + " attempts: " + lastProblem);
    }

    static PublishBatchRequestEntry entry(String id, Event event) {
        return PublishBatchRequestEntry.builder().id(id).message(event.toJson()).messageAttributes(attributes(event)).build();
    }

    static Map<String, MessageAttributeValue> attributes(Event event) {
        MessageAttributeValue type = MessageAttributeValue.builder().dataType("String").stringValue(event.type().value()).build();
        if (event.domain().isEmpty()) {
            return Map.of("event_type", type);
        }
        return Map.of("event_type", type,
                "event_domain", MessageAttributeValue.builder().dataType("String").stringValue(event.domain()).build());
    }
}
