package org.rapidsrivers.aws.operate;

import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.Futures;
import org.rapidsrivers.aws.rivers.SnsSubscriptions;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.RiverStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Understands how every river of a stage is doing, read with as few calls as SQS and SNS allow: one
 * ListQueues, one listing of the subscriptions, then per river its filter policy and the attributes of
 * its queue and dead-letter queue, side by side. SQS does not tell the oldest message's age without a
 * receive (CloudWatch's ApproximateAgeOfOldestMessage does, a minute late), so it is left unknown here;
 * when the queue was made it does tell.
 */
final class SqsRiverStatus {
    private static final List<QueueAttributeName> COUNTS = List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED,
            QueueAttributeName.CREATED_TIMESTAMP);

    private final SqsClient sqs;
    private final Stage stage;
    private final SnsSubscriptions subscriptions;

    SqsRiverStatus(SqsClient sqs, Stage stage, SnsSubscriptions subscriptions) {
        this.sqs = sqs;
        this.stage = stage;
        this.subscriptions = subscriptions;
    }

    /** Every river, or only {@code wanted} when it is not empty. */
    List<RiverStatus> rivers(List<RiverName> wanted, ExecutorService pool) {
        String prefix = "rr-" + stage.value() + "-";
        Map<String, String> urls = new TreeMap<>();
        AwsErrors.call("sqs:ListQueues", "SQS queues " + prefix + "*", stage.value(), () -> {
            sqs.listQueuesPaginator(b -> b.queueNamePrefix(prefix).maxResults(1000)).queueUrls()
                    .forEach(url -> urls.put(url.substring(url.lastIndexOf('/') + 1), url));
            return null;
        });
        Future<Map<String, RiverPolicy>> topics = pool.submit(() -> subscriptions.policiesByQueueName(pool));
        Map<String, Future<Map<QueueAttributeName, String>>> counts = new TreeMap<>();
        List<RiverName> rivers = new ArrayList<>();
        urls.forEach((name, url) -> {
            if (name.endsWith("-dlq")) {
                return;
            }
            RiverName river = RiverName.of(name.substring(prefix.length()));
            if (!wanted.isEmpty() && !wanted.contains(river)) {
                return;
            }
            rivers.add(river);
            counts.put(name, pool.submit(() -> attributes(name, url)));
            String dlq = urls.get(name + "-dlq");
            if (dlq != null) {
                counts.put(name + "-dlq", pool.submit(() -> attributes(name + "-dlq", dlq)));
            }
        });
        Map<String, RiverPolicy> topicsByQueue = Futures.get(topics);
        List<RiverStatus> all = new ArrayList<>();
        for (RiverName river : rivers) {
            String name = stage.riverQueue(river);
            Map<QueueAttributeName, String> queue = Futures.get(counts.get(name));
            Map<QueueAttributeName, String> dlq = counts.containsKey(name + "-dlq") ? Futures.get(counts.get(name + "-dlq")) : Map.of();
            all.add(new RiverStatus(river, new TreeSet<Topic>(),
                    count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                            + count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
                    count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                    count(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                            + count(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                    Optional.empty(), Optional.empty(), created(queue)).with(topicsByQueue.getOrDefault(name, new RiverPolicy(Map.of()))));
        }
        return all;
    }

    private Map<QueueAttributeName, String> attributes(String name, String url) {
        return AwsErrors.call("sqs:GetQueueAttributes", "SQS queue " + name, stage.value(),
                () -> sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(COUNTS)).attributes());
    }

    /** When SQS made the queue (epoch seconds; an emulator may give a fraction), if it says. */
    private static Optional<Instant> created(Map<QueueAttributeName, String> attributes) {
        try {
            return Optional.ofNullable(attributes.get(QueueAttributeName.CREATED_TIMESTAMP)).map(BigDecimal::new)
                    .map(seconds -> Instant.ofEpochMilli(seconds.movePointRight(3).longValue()));
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
    }

    private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        return Long.parseLong(attributes.getOrDefault(name, "0"));
    }
}
