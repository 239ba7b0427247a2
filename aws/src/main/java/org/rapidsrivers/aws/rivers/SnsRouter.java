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
import java.util.Set;
import java.util.function.Supplier;
import org.rapidsrivers.aws.PartialRetry;
import org.rapidsrivers.aws.rivers.StageTopics.StageTopic;
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
 * match, a few calls in flight at once (a call's time is mostly the round trip). Every event goes to the rapids
 * topic; to each of the stage's other topics (made past the rapids topic's quota) only the events of a type a
 * river there wants, as the routing table read once a batch says. Only the failed entries of a partial batch are
 * sent again, with backoff, so nothing in a batch is published twice to a topic. The result names the first
 * event, in order, not yet published to every topic it goes to after the last attempt; once a batch has failed,
 * the batches not yet sent are not sent, since the caller retries from that event anyway (an event after it
 * that one topic had then receives it again: at least once, as a host killed mid-batch).
 */
public final class SnsRouter implements Router {
    static final int MAX_ENTRIES = 10;
    static final int MAX_BATCH_BYTES = 256 * 1024;
    static final int ATTEMPTS = 5;

    private final SnsClient sns;
    private final StageTopics topics;
    private final Supplier<Map<String, Set<String>>> routes;
    private final int concurrency;
    private volatile ExecutorService pool;

    private final AtomicLong calls = new AtomicLong();

    public SnsRouter(SnsClient sns, StageTopics topics, Supplier<Map<String, Set<String>>> routes, int concurrency) {
        this.sns = sns;
        this.topics = topics;
        this.routes = routes;
        this.concurrency = Math.max(1, concurrency);
    }

    /** Understands one PublishBatch: which topic, and the positions in the routed list of the events it carries. */
    record Batch(StageTopic topic, List<Integer> events) {
        int first() {
            return events.get(0);
        }
    }

    @Override
    public RouteResult route(List<EventRecord> events) {
        List<Batch> batches = batches(events);
        if (batches.size() == 1 || concurrency == 1) {
            for (int i = 0; i < batches.size(); i++) {
                RouteResult result = publish(events, batches.get(i));
                if (!result.allDelivered()) {
                    return earliest(result, batches.subList(i + 1, batches.size()));
                }
            }
            return RouteResult.delivered();
        }
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<RouteResult>> results = new ArrayList<>();
        for (Batch batch : batches) {
            results.add(pool().submit(() -> failed.get()
                    ? RouteResult.failedAt(batch.first(), "not sent: an earlier batch failed")
                    : remember(failed, publish(events, batch))));
        }
        RouteResult first = RouteResult.delivered();
        for (Future<RouteResult> result : results) {
            RouteResult outcome = await(result);
            if (!outcome.allDelivered() && (first.allDelivered() || outcome.firstFailure().getAsInt() < first.firstFailure().getAsInt())) {
                first = outcome;
            }
        }
        return first;
    }

    /** Every event to the rapids topic; to another topic the events whose type the routing table gives it. */
    private List<Batch> batches(List<EventRecord> events) {
        List<Batch> batches = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            all.add(i);
        }
        cut(events, topics.named(topics.rapids().name()), all, batches);
        for (Map.Entry<String, Set<String>> route : routes.get().entrySet()) {
            List<Integer> wanted = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                if (route.getValue().contains(events.get(i).event().type().value())) {
                    wanted.add(i);
                }
            }
            cut(events, topics.named(route.getKey()), wanted, batches);
        }
        return batches;
    }

    /** Batches of at most 10 events and 256 KiB of messages and attributes. */
    private static void cut(List<EventRecord> events, StageTopic topic, List<Integer> wanted, List<Batch> batches) {
        for (int from = 0; from < wanted.size(); ) {
            int bytes = 0;
            int to = from;
            while (to < wanted.size() && to - from < MAX_ENTRIES) {
                int size = events.get(wanted.get(to)).event().sizeInBytes();
                if (to > from && bytes + size > MAX_BATCH_BYTES) {
                    break;
                }
                bytes += size;
                to++;
            }
            batches.add(new Batch(topic, List.copyOf(wanted.subList(from, to))));
            from = to;
        }
    }

    /** The failure, or an earlier event of a batch not sent after it. */
    private static RouteResult earliest(RouteResult failure, List<Batch> notSent) {
        RouteResult first = failure;
        for (Batch batch : notSent) {
            if (batch.first() < first.firstFailure().getAsInt()) {
                first = RouteResult.failedAt(batch.first(), "not sent: an earlier batch failed (" + failure.reason() + ")");
            }
        }
        return first;
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

    private RouteResult publish(List<EventRecord> events, Batch batch) {
        List<PublishBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < batch.events().size(); i++) {
            pending.add(entry("e" + i, events.get(batch.events().get(i)).event()));
        }
        PartialRetry.Refused<PublishBatchRequestEntry> left = PartialRetry.send(pending, ATTEMPTS, sending -> {
            PublishBatchResponse response;
            try {
                calls.incrementAndGet();
                response = sns.publishBatch(b -> b.topicArn(batch.topic().arn()).publishBatchRequestEntries(sending));
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
        return RouteResult.failedAt(batch.events().get(firstFailed), "SNS PublishBatch to " + batch.topic().name()
                + " still failing after " + ATTEMPTS + " attempts: " + left.reason());
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
