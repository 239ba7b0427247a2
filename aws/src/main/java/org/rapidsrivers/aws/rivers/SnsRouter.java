package org.rapidsrivers.aws.rivers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.rapidsrivers.aws.PartialRetry;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.RouteResult;
import org.rapidsrivers.core.plane.Router;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/**
 * Understands how to fan events out through SNS: PublishBatch of up to 10 events (and 256 KiB) a call,
 * each with the {@code event_type} and {@code event_domain} attributes the rivers' filter policies
 * match, a few calls in flight at once (a call's time is mostly the round trip). Only the failed
 * entries of a partial batch are sent again, with backoff, so nothing in a batch is published twice.
 * The result names the first event, in order, still failing after the last attempt; once a batch has
 * failed, the batches not yet sent are not sent, since the caller retries from that event anyway.
 */
public final class SnsRouter implements Router {
    static final int MAX_ENTRIES = 10;
    static final int MAX_BATCH_BYTES = 256 * 1024;
    static final int ATTEMPTS = 5;

    private final SnsClient sns;
    private final SnsTopic topic;
    private final int concurrency;
    private volatile ExecutorService pool;

    private final AtomicLong calls = new AtomicLong();

    public SnsRouter(SnsClient sns, SnsTopic topic, int concurrency) {
        this.sns = sns;
        this.topic = topic;
        this.concurrency = Math.max(1, concurrency);
    }

    @Override
    public RouteResult route(List<EventRecord> events) {
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); ) {
            int to = batchEnd(events, from);
            batches.add(new int[] {from, to});
            from = to;
        }
        if (batches.size() == 1 || concurrency == 1) {
            for (int[] batch : batches) {
                RouteResult result = publish(events.subList(batch[0], batch[1]), batch[0]);
                if (!result.allDelivered()) {
                    return result;
                }
            }
            return RouteResult.delivered();
        }
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<RouteResult>> results = new ArrayList<>();
        for (int[] batch : batches) {
            results.add(pool().submit(() -> failed.get()
                    ? RouteResult.failedAt(batch[0], "not sent: an earlier batch failed")
                    : remember(failed, publish(events.subList(batch[0], batch[1]), batch[0]))));
        }
        for (Future<RouteResult> result : results) {
            RouteResult outcome = await(result);
            if (!outcome.allDelivered()) {
                return outcome;
            }
        }
        return RouteResult.delivered();
    }

    @Override
    public long calls() {
        return calls.get();
    }

    private static RouteResult remember(AtomicBoolean failed, RouteResult result) {
        if (!result.allDelivered()) {
            failed.set(true);
        }
        return result;
    }

    private static RouteResult await(Future<RouteResult> result) {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing a batch failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    /** Made on first use, not when the router is made: nothing runs in a Lambda's snapshot. */
    private ExecutorService pool() {
        ExecutorService current = pool;
        if (current == null) {
            synchronized (this) {
                if (pool == null) {
                    pool = Executors.newFixedThreadPool(concurrency, runnable -> {
                        Thread thread = new Thread(runnable, "rr-sns-publish");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                current = pool;
            }
        }
        return current;
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
        PartialRetry.Refused<PublishBatchRequestEntry> left = PartialRetry.send(pending, ATTEMPTS, sending -> {
            PublishBatchResponse response;
            try {
                calls.incrementAndGet();
                response = sns.publishBatch(b -> b.topicArn(topic.arn()).publishBatchRequestEntries(sending));
            } catch (SdkException e) {
                return new PartialRetry.Refused<>(sending, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (response.failed().isEmpty()) {
                return PartialRetry.Refused.none();
            }
            List<String> failedIds = response.failed().stream().map(BatchResultErrorEntry::id).toList();
            BatchResultErrorEntry first = response.failed().get(0);
            return new PartialRetry.Refused<>(sending.stream().filter(e -> failedIds.contains(e.id())).toList(),
                    first.code() + ": " + first.message());
        });
        if (left.isEmpty()) {
            return RouteResult.delivered();
        }
        int firstFailed = left.entries().stream().mapToInt(e -> Integer.parseInt(e.id().substring(1))).min().orElse(0);
        return RouteResult.failedAt(offset + firstFailed, "SNS PublishBatch to " + topic.name() + " still failing after "
                + ATTEMPTS + " attempts: " + left.reason());
    }

    static PublishBatchRequestEntry entry(String id, Event event) {
        return PublishBatchRequestEntry.builder().id(id).message(event.toJson()).messageAttributes(attributes(event)).build();
    }

    public static Map<String, MessageAttributeValue> attributes(Event event) {
        MessageAttributeValue type = MessageAttributeValue.builder().dataType("String").stringValue(event.type().value()).build();
        // eventType too: a river changing between attribute and body filtering passes through {"eventType": [...]},
        // which reads the same on either (SnsSubscriptions)
        if (event.domain().isEmpty()) {
            return Map.of("event_type", type, "eventType", type);
        }
        return Map.of("event_type", type, "eventType", type,
                "event_domain", MessageAttributeValue.builder().dataType("String").stringValue(event.domain()).build());
    }
}
