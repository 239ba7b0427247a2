package org.rapidsrivers.aws.rivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.Futures;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Subscriptions;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;

/**
 * Understands a river's topics as the filter policy of its one SNS subscription,
 * {@code {"event_type": [...]}} with raw message delivery. SNS is the only place the topics are kept,
 * so nothing can disagree with it after a partial failure. The last topic going removes the
 * subscription: an empty filter policy would let everything through.
 */
public final class SnsSubscriptions implements Subscriptions {
    public static final String ATTRIBUTE = "event_type";

    private final SnsClient sns;
    private final Stage stage;
    private final RiverQueues queues;
    private final SnsTopic topic;

    public SnsSubscriptions(SnsClient sns, Stage stage, RiverQueues queues, SnsTopic topic) {
        this.sns = sns;
        this.stage = stage;
        this.queues = queues;
        this.topic = topic;
    }

    @Override
    public SortedSet<Topic> topicsOf(RiverName river) {
        Optional<String> queueArn = queueArn(river);
        if (queueArn.isEmpty()) {
            return new TreeSet<>();
        }
        return subscription(queueArn.get()).map(this::topicsIn).orElseGet(TreeSet::new);
    }

    @Override
    public void subscribe(RiverName river, Topic wanted) {
        String queueArn = queueArn(river).orElseThrow(() -> new InvalidInput("river '" + river + "' does not exist"));
        Optional<String> subscription = subscription(queueArn);
        if (subscription.isEmpty()) {
            String policy = policyOf(new TreeSet<>(Set.of(wanted)));
            AwsErrors.call("sns:Subscribe", "SNS topic " + topic.name(), stage.value(), () -> sns.subscribe(b -> b
                    .topicArn(topic.arn()).protocol("sqs").endpoint(queueArn).returnSubscriptionArn(true)
                    .attributes(Map.of("RawMessageDelivery", "true", "FilterPolicy", policy,
                            // a delivery SNS keeps failing lands in the river's dead-letter queue, not nowhere
                            "RedrivePolicy", Json.compact(Json.object().put("deadLetterTargetArn", queueArn + "-dlq"))))));
            return;
        }
        SortedSet<Topic> topics = topicsIn(subscription.get());
        if (topics.add(wanted)) {
            setPolicy(subscription.get(), topics);
        }
    }

    @Override
    public void unsubscribe(RiverName river, Topic unwanted) {
        Optional<String> queueArn = queueArn(river);
        Optional<String> subscription = queueArn.flatMap(this::subscription);
        if (subscription.isEmpty()) {
            return;
        }
        SortedSet<Topic> topics = topicsIn(subscription.get());
        if (!topics.remove(unwanted)) {
            return;
        }
        if (topics.isEmpty()) {
            AwsErrors.call("sns:Unsubscribe", "SNS subscription of river " + river, stage.value(),
                    () -> sns.unsubscribe(b -> b.subscriptionArn(subscription.get())));
        } else {
            setPolicy(subscription.get(), topics);
        }
    }

    /**
     * Every river's topics at once, by queue name: one listing of the topic's subscriptions, then their
     * filter policies read side by side on {@code pool} (what rr status needs for a hundred rivers).
     */
    public Map<String, SortedSet<Topic>> topicsByQueueName(ExecutorService pool) {
        List<Subscription> all = AwsErrors.call("sns:ListSubscriptionsByTopic", "SNS topic " + topic.name(), stage.value(),
                () -> sns.listSubscriptionsByTopicPaginator(b -> b.topicArn(topic.arn())).subscriptions().stream()
                        .filter(sub -> "sqs".equals(sub.protocol()) && sub.subscriptionArn().startsWith("arn:")).toList());
        Map<String, Future<SortedSet<Topic>>> pending = new TreeMap<>();
        for (Subscription sub : all) {
            String queueName = sub.endpoint().substring(sub.endpoint().lastIndexOf(':') + 1);
            pending.put(queueName, pool.submit(() -> topicsIn(sub.subscriptionArn())));
        }
        Map<String, SortedSet<Topic>> topics = new TreeMap<>();
        pending.forEach((queue, future) -> topics.put(queue, Futures.get(future)));
        return topics;
    }

    /** The filter policy as SNS keeps it, for tests and for the shell to show what it can observe. */
    public Optional<String> filterPolicyOf(RiverName river) {
        return queueArn(river).flatMap(this::subscription).map(arn -> attributes(arn).get("FilterPolicy"));
    }

    static String policyOf(SortedSet<Topic> topics) {
        var policy = Json.object();
        ArrayNode values = policy.putArray(ATTRIBUTE);
        topics.forEach(t -> values.add(t.value()));
        return Json.compact(policy);
    }

    private void setPolicy(String subscriptionArn, SortedSet<Topic> topics) {
        AwsErrors.call("sns:SetSubscriptionAttributes", "SNS subscription " + subscriptionArn, stage.value(),
                () -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)
                        .attributeName("FilterPolicy").attributeValue(policyOf(topics))));
    }

    private SortedSet<Topic> topicsIn(String subscriptionArn) {
        SortedSet<Topic> topics = new TreeSet<>();
        String policy = attributes(subscriptionArn).get("FilterPolicy");
        if (policy == null || policy.isBlank()) {
            return topics;
        }
        JsonNode values = Json.parse(policy).path(ATTRIBUTE);
        values.forEach(v -> topics.add(Topic.of(v.asText())));
        return topics;
    }

    private Map<String, String> attributes(String subscriptionArn) {
        return AwsErrors.call("sns:GetSubscriptionAttributes", "SNS subscription " + subscriptionArn, stage.value(),
                () -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)).attributes());
    }

    /**
     * Looked up every time rather than remembered: another control-plane instance may have removed or
     * made it since, and control commands are rare enough for one listing each.
     */
    private Optional<String> subscription(String queueArn) {
        return AwsErrors.call("sns:ListSubscriptionsByTopic", "SNS topic " + topic.name(), stage.value(),
                () -> sns.listSubscriptionsByTopicPaginator(b -> b.topicArn(topic.arn())).subscriptions().stream()
                        .filter(s -> "sqs".equals(s.protocol()) && queueArn.equals(s.endpoint()))
                        .map(Subscription::subscriptionArn)
                        .filter(arn -> arn.startsWith("arn:"))
                        .findFirst());
    }

    private Optional<String> queueArn(RiverName river) {
        String name = stage.riverQueue(river);
        return queues.url(river).map(url -> queues.arnOf(name, url));
    }
}
