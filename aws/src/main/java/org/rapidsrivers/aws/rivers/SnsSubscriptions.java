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
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Subscriptions;
import org.rapidsrivers.aws.rivers.StageTopics.StageTopic;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;

/**
 * Understands a river's topics as the filter policy of its one SNS subscription, with raw message delivery:
 * {@code {"event_type": [...]}} on the message's attributes while every topic flows whole, the
 * {@link RiverPolicy}'s MessageBody policy once one has a content filter. SNS is the only place the topics are kept,
 * so nothing can disagree with it after a partial failure. The last topic going removes the
 * subscription: an empty filter policy would let everything through. A new river subscribes to the first of the
 * {@link StageTopics} with room; one on a topic that does not receive every event keeps its types in the
 * {@link TopicRoutes} too.
 */
public final class SnsSubscriptions implements Subscriptions {
    public static final String ATTRIBUTE = "event_type";
    static final String BODY = "MessageBody";
    static final String ATTRIBUTES = "MessageAttributes";

    private final SnsClient sns;
    private final Stage stage;
    private final RiverQueues queues;
    private final StageTopics topics;
    private final TopicRoutes routes;

    public SnsSubscriptions(SnsClient sns, Stage stage, RiverQueues queues, StageTopics topics, TopicRoutes routes) {
        this.sns = sns;
        this.stage = stage;
        this.queues = queues;
        this.topics = topics;
        this.routes = routes;
    }

    /** Understands where a river's one subscription is: on which of the stage's topics, under which ARN. */
    record Found(StageTopic topic, String arn) {
    }

    @Override
    public RiverPolicy policyOf(RiverName river) {
        return queueArn(river).flatMap(queue -> find(topics.subscriptions(), queue)).map(found -> policyIn(attributes(found.arn())))
                .orElseGet(() -> new RiverPolicy(Map.of()));
    }

    @Override
    public void subscribe(RiverName river, Topic wanted, ContentFilter filter) {
        String queueArn = queueArn(river).orElseThrow(() -> new InvalidInput("river '" + river + "' does not exist"));
        Map<StageTopic, List<Subscription>> listed = topics.subscriptions();
        Optional<Found> subscription = find(listed, queueArn);
        if (subscription.isEmpty()) {
            StageTopic topic = topics.withRoom(listed);
            RiverPolicy policy = new RiverPolicy(Map.of(wanted, filter));
            Map<String, String> attributes = new TreeMap<>(Map.of("RawMessageDelivery", "true", "FilterPolicy", policyText(policy),
                    // a delivery SNS keeps failing lands in the river's dead-letter queue, not nowhere
                    "RedrivePolicy", Json.compact(Json.object().put("deadLetterTargetArn", queueArn + "-dlq"))));
            if (policy.filtered()) {
                attributes.put("FilterPolicyScope", BODY);
            }
            // the route first: the fan-out then publishes there before SNS lets the type through, never after
            route(topic, wanted, river, true);
            AwsErrors.call("sns:Subscribe", "SNS topic " + topic.name(), stage.value(), () -> sns.subscribe(b -> b
                    .topicArn(topic.arn()).protocol("sqs").endpoint(queueArn).returnSubscriptionArn(true).attributes(attributes)));
            return;
        }
        RiverPolicy now = policyIn(attributes(subscription.get().arn()));
        RiverPolicy next = now.with(wanted, filter);
        if (!next.equals(now)) {
            route(subscription.get().topic(), wanted, river, true);
            change(subscription.get().arn(), now, next);
        }
    }

    /** Keeps the routing table of a topic that does not receive every event: added before, removed after. */
    private void route(StageTopic topic, Topic type, RiverName river, boolean wanted) {
        if (topics.receivesEverything(topic)) {
            return;
        }
        if (wanted) {
            routes.add(topic.name(), type, river);
        } else {
            routes.remove(topic.name(), type, river);
        }
    }

    @Override
    public void unsubscribe(RiverName river, Topic unwanted) {
        Optional<Found> subscription = queueArn(river).flatMap(queue -> find(topics.subscriptions(), queue));
        if (subscription.isEmpty()) {
            return;
        }
        RiverPolicy now = policyIn(attributes(subscription.get().arn()));
        if (!now.topics().containsKey(unwanted)) {
            return;
        }
        RiverPolicy next = now.without(unwanted);
        if (next.topics().isEmpty()) {
            AwsErrors.call("sns:Unsubscribe", "SNS subscription of river " + river, stage.value(),
                    () -> sns.unsubscribe(b -> b.subscriptionArn(subscription.get().arn())));
        } else {
            change(subscription.get().arn(), now, next);
        }
        route(subscription.get().topic(), unwanted, river, false);
    }

    /**
     * A river whose topics are all whole is routed by the {@code event_type} attribute; one with a content filter
     * by the message body. Between the two, the policy passes through {@code {"eventType": [every topic of both]}},
     * which reads the same in either scope (the fan-out sets an {@code eventType} attribute too): each step lets
     * through at least what the river wants, so changing scope loses nothing, and what comes extra the River API
     * skips and counts.
     */
    private void change(String subscriptionArn, RiverPolicy now, RiverPolicy next) {
        if (now.filtered() == next.filtered()) {
            set(subscriptionArn, "FilterPolicy", policyText(next));
            return;
        }
        SortedSet<Topic> both = new TreeSet<>(now.topics().keySet());
        both.addAll(next.topics().keySet());
        ArrayNode bridge = Json.object().putArray(RiverPolicy.TYPE_KEY);
        both.forEach(t -> bridge.add(t.value()));
        set(subscriptionArn, "FilterPolicy", Json.compact(Json.object().set(RiverPolicy.TYPE_KEY, bridge)));
        set(subscriptionArn, "FilterPolicyScope", next.filtered() ? BODY : ATTRIBUTES);
        set(subscriptionArn, "FilterPolicy", policyText(next));
    }

    /** The policy text for the scope the river needs. */
    static String policyText(RiverPolicy policy) {
        return policy.filtered() ? policy.bodyPolicyText() : policyOf(policy.topics().keySet());
    }

    /** What a subscription's attributes say the river wants; a policy no rr wrote reads as the topics it names. */
    static RiverPolicy policyIn(Map<String, String> attributes) {
        String policy = attributes.get("FilterPolicy");
        if (policy == null || policy.isBlank()) {
            return new RiverPolicy(Map.of());
        }
        JsonNode parsed = Json.parse(policy);
        if (BODY.equals(attributes.get("FilterPolicyScope")) && !parsed.has(ATTRIBUTE)) {
            return RiverPolicy.fromBodyPolicy(parsed);
        }
        Map<Topic, ContentFilter> topics = new TreeMap<>();
        parsed.path(ATTRIBUTE).forEach(v -> topics.put(Topic.of(v.asText()), ContentFilter.WHOLE));
        parsed.path(RiverPolicy.TYPE_KEY).forEach(v -> topics.put(Topic.of(v.asText()), ContentFilter.WHOLE));
        return new RiverPolicy(topics);
    }

    /**
     * Every river's topics at once, by queue name: one listing of each of the stage's topics' subscriptions, then
     * their filter policies read side by side on {@code pool} (what rr status needs for a thousand rivers).
     */
    public Map<String, RiverPolicy> policiesByQueueName(ExecutorService pool) {
        Map<String, Future<RiverPolicy>> pending = new TreeMap<>();
        topics.subscriptions().values().forEach(listed -> listed.stream().filter(sub -> sub.subscriptionArn().startsWith("arn:"))
                .forEach(sub -> pending.put(queueName(sub), pool.submit(() -> policyIn(attributes(sub.subscriptionArn()))))));
        Map<String, RiverPolicy> policies = new TreeMap<>();
        pending.forEach((queue, future) -> policies.put(queue, Futures.get(future)));
        return policies;
    }

    /** Which of the stage's topics each river's subscription is on, by queue name. */
    public Map<String, String> topicsByQueueName() {
        Map<String, String> on = new TreeMap<>();
        topics.subscriptions().forEach((topic, listed) -> listed.forEach(sub -> on.put(queueName(sub), topic.name())));
        return on;
    }

    private static String queueName(Subscription sub) {
        return sub.endpoint().substring(sub.endpoint().lastIndexOf(':') + 1);
    }

    /** The filter policy as SNS keeps it, for tests and for the shell to show what it can observe. */
    public Optional<String> filterPolicyOf(RiverName river) {
        return queueArn(river).flatMap(queue -> find(topics.subscriptions(), queue)).map(found -> attributes(found.arn()).get("FilterPolicy"));
    }

    static String policyOf(Set<Topic> topics) {
        var policy = Json.object();
        ArrayNode values = policy.putArray(ATTRIBUTE);
        topics.forEach(t -> values.add(t.value()));
        return Json.compact(policy);
    }

    private void set(String subscriptionArn, String name, String value) {
        AwsErrors.call("sns:SetSubscriptionAttributes", "SNS subscription " + subscriptionArn, stage.value(),
                () -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn).attributeName(name).attributeValue(value)));
    }

    private Map<String, String> attributes(String subscriptionArn) {
        return AwsErrors.call("sns:GetSubscriptionAttributes", "SNS subscription " + subscriptionArn, stage.value(),
                () -> sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)).attributes());
    }

    /**
     * Looked up every time rather than remembered: another control-plane instance may have removed or
     * made it since, and control commands are rare enough for one listing of each topic each.
     */
    private static Optional<Found> find(Map<StageTopic, List<Subscription>> listed, String queueArn) {
        for (Map.Entry<StageTopic, List<Subscription>> topic : listed.entrySet()) {
            Optional<String> arn = topic.getValue().stream().filter(s -> queueArn.equals(s.endpoint()))
                    .map(Subscription::subscriptionArn).filter(a -> a.startsWith("arn:")).findFirst();
            if (arn.isPresent()) {
                return Optional.of(new Found(topic.getKey(), arn.get()));
            }
        }
        return Optional.empty();
    }

    private Optional<String> queueArn(RiverName river) {
        String name = stage.riverQueue(river);
        return queues.url(river).map(url -> queues.arnOf(name, url));
    }
}
