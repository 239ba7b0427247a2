package org.rapidsrivers.aws.rivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import org.rapidsrivers.core.InvalidInput;

/**
 * Understands the SNS topics a stage's rivers subscribe to: the rapids topic its stack made ({@code Rapids-<stage>},
 * which receives every event), then, once it holds its quota of subscriptions (SNS allows 200 filter policies a
 * topic by default), {@code Rapids-<stage>-2}, {@code -3}... that the control plane makes when the last is full, each
 * with the rapids topic's key and policy (the template's, its ARN changed to the new topic's). Stages have no
 * hyphen, so no other stage's topic has these names.
 */
public final class StageTopics {
    private final SnsClient sns;
    private final Stage stage;
    private final SnsTopic rapids;
    private final int quota;
    private final Pattern extra;
    /** SNS allows 100,000 topics an account; a stage's 50 topics hold 10,000 rivers at the default quota. */
    static final int MAX_TOPICS = 50;

    public StageTopics(SnsClient sns, Stage stage, SnsTopic rapids, int quota) {
        this.sns = sns;
        this.stage = stage;
        this.rapids = rapids;
        this.quota = quota;
        this.extra = Pattern.compile(Pattern.quote(rapids.name()) + "-([1-9][0-9]{0,2})");
    }

    /** Understands one of the stage's topics by name and ARN. */
    public record StageTopic(String name, String arn) {
    }

    public SnsTopic rapids() {
        return rapids;
    }

    public int quota() {
        return quota;
    }

    /** True for the topic that receives every event; false for one the control plane made past the quota. */
    public boolean receivesEverything(StageTopic topic) {
        return topic.name().equals(rapids.name());
    }

    /** A topic of this stage by name: its ARN is the rapids topic's, the name changed (no call). */
    public StageTopic named(String name) {
        String arn = rapids.arn();
        return new StageTopic(name, arn.substring(0, arn.lastIndexOf(':') + 1) + name);
    }

    /**
     * The rapids topic first, then the others in the order they were made: asked by name, {@code -2}, {@code -3}...
     * up to the first that is not there (the control plane makes them in that order and only rr remove deletes
     * them), so the control plane's role needs no ListTopics, which SNS grants only on every topic.
     */
    public List<StageTopic> all() {
        List<StageTopic> topics = new ArrayList<>(List.of(named(rapids.name())));
        for (int n = 2; n <= MAX_TOPICS; n++) {
            StageTopic next = named(rapids.name() + "-" + n);
            if (!exists(next)) {
                break;
            }
            topics.add(next);
        }
        return topics;
    }

    private boolean exists(StageTopic topic) {
        try {
            sns.getTopicAttributes(b -> b.topicArn(topic.arn()));
            return true;
        } catch (NotFoundException absent) {
            return false;
        } catch (SdkException e) {
            throw AwsErrors.translate(e, "sns:GetTopicAttributes", "SNS topic " + topic.name(), stage.value());
        }
    }

    /** Every topic's subscriptions to a queue (confirmed or not: each counts against the topic's quota). */
    public Map<StageTopic, List<Subscription>> subscriptions() {
        Map<StageTopic, List<Subscription>> listed = new LinkedHashMap<>();
        for (StageTopic topic : all()) {
            listed.put(topic, AwsErrors.call("sns:ListSubscriptionsByTopic", "SNS topic " + topic.name(), stage.value(),
                    () -> sns.listSubscriptionsByTopicPaginator(b -> b.topicArn(topic.arn())).subscriptions().stream()
                            .filter(s -> "sqs".equals(s.protocol())).toList()));
        }
        return listed;
    }

    /** The first topic with room for one more subscription, made if every topic is full. */
    public StageTopic withRoom(Map<StageTopic, List<Subscription>> listed) {
        StageTopic last = null;
        for (Map.Entry<StageTopic, List<Subscription>> topic : listed.entrySet()) {
            if (topic.getValue().size() < quota) {
                return topic.getKey();
            }
            last = topic.getKey();
        }
        int next = last == null ? 2 : Math.max(2, number(last) + 1);
        if (next > MAX_TOPICS) {
            throw new InvalidInput("stage " + stage + " has " + MAX_TOPICS + " topics of " + quota + " rivers each, all full:"
                    + " delete rivers it no longer needs (rr river delete <river>) or raise the stage's TopicQuota");
        }
        return make(rapids.name() + "-" + next);
    }

    /** Made with the rapids topic's key and policy: CreateTopic of a name that exists returns it as it is. */
    StageTopic make(String name) {
        StageTopic model = named(rapids.name());
        Map<String, String> attributes = AwsErrors.call("sns:GetTopicAttributes", "SNS topic " + model.name(), stage.value(),
                () -> sns.getTopicAttributes(b -> b.topicArn(model.arn())).attributes());
        Map<String, String> made = new LinkedHashMap<>();
        if (attributes.get("KmsMasterKeyId") != null && !attributes.get("KmsMasterKeyId").isBlank()) {
            made.put("KmsMasterKeyId", attributes.get("KmsMasterKeyId"));
        }
        String arn = AwsErrors.call("sns:CreateTopic", "SNS topic " + name, stage.value(),
                () -> sns.createTopic(b -> b.name(name).attributes(made)).topicArn());
        String policy = attributes.get("Policy");
        if (policy != null && !policy.isBlank()) {
            String own = policyFor(policy, model.arn(), arn);
            AwsErrors.call("sns:SetTopicAttributes", "SNS topic " + name, stage.value(),
                    () -> sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("Policy").attributeValue(own)));
        }
        return new StageTopic(name, arn);
    }

    /**
     * Deletes every topic but the rapids topic (its stack's), their subscriptions with them, and forgets their
     * routes: what rr remove does once the control plane that made them is gone. The names deleted, in the order listed.
     */
    public List<String> deleteOthers(TopicRoutes routes) {
        List<String> deleted = new ArrayList<>();
        // listed (the deploying user may), not asked by name: the rapids topic may be gone with its stack already
        List<StageTopic> others = AwsErrors.call("sns:ListTopics", "SNS topics of stage " + stage, stage.value(),
                () -> sns.listTopicsPaginator().topics().stream().map(software.amazon.awssdk.services.sns.model.Topic::topicArn)
                        .filter(arn -> extra.matcher(arn.substring(arn.lastIndexOf(':') + 1)).matches())
                        .map(arn -> new StageTopic(arn.substring(arn.lastIndexOf(':') + 1), arn)).toList());
        for (StageTopic topic : others) {
            AwsErrors.call("sns:DeleteTopic", "SNS topic " + topic.name(), stage.value(),
                    () -> sns.deleteTopic(b -> b.topicArn(topic.arn())));
            routes.forget(topic.name());
            deleted.add(topic.name());
        }
        return deleted;
    }

    /** The rapids topic's policy for another topic: every value that names the rapids topic names that one. */
    static String policyFor(String policy, String rapidsArn, String arn) {
        JsonNode parsed = Json.parse(policy);
        return Json.compact(replace(parsed, rapidsArn, arn));
    }

    private static JsonNode replace(JsonNode node, String from, String to) {
        if (node.isTextual()) {
            return node.asText().equals(from) ? TextNode.valueOf(to) : node;
        }
        if (node.isObject()) {
            var copy = Json.object();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), replace(f.getValue(), from, to)));
            return copy;
        }
        if (node.isArray()) {
            var copy = Json.array();
            node.forEach(v -> copy.add(replace(v, from, to)));
            return copy;
        }
        return node;
    }

    private int number(StageTopic topic) {
        var matched = extra.matcher(topic.name());
        return matched.matches() ? Integer.parseInt(matched.group(1)) : 1;
    }
}
