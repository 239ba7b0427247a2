package org.rapidsrivers.aws.rivers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.EmulatorGaps;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.DeadLetterNote;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Rivers;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Understands rivers as SQS queues: {@code rr-<stage>-<river>}, encrypted with the stage's KMS key,
 * with a dead-letter queue that takes a message after five receives, and a policy that lets only the
 * rapids topic send to it.
 */
public final class SqsRivers implements Rivers {
    /** The longest delay SQS gives a message. */
    static final int MAX_DELAY_SECONDS = 900;
    static final String FOUR_DAYS = Long.toString(Duration.ofDays(4).toSeconds());
    public static final String FOURTEEN_DAYS = Long.toString(Duration.ofDays(14).toSeconds());

    private final SqsClient sqs;
    private final Stage stage;
    private final RiverQueues queues;
    private final SnsTopic topic;
    private final EmulatorGaps gaps;
    private final SqsBatches batches;

    /**
     * The tag every river the control plane makes carries: its role may change only queues tagged so, never
     * the river a deployed service's stack owns (cfn/planes.yaml, KeepTheRiversItMade).
     */
    public static final Map<String, String> MADE_BY_CONTROL_PLANE = Map.of("rr-made-by", "control-plane");
    /**
     * The tag a service stack's river and dead-letter queue carry, naming the stack: the control plane's role
     * may neither tag, untag nor change a queue that has it (cfn/planes.yaml, NeverTheStacksRivers).
     */
    public static final String OWNED_BY = "rr-owned-by";

    public SqsRivers(SqsClient sqs, Stage stage, RiverQueues queues, SnsTopic topic, EmulatorGaps gaps) {
        this.batches = new SqsBatches(sqs, stage);
        this.sqs = sqs;
        this.stage = stage;
        this.queues = queues;
        this.topic = topic;
        this.gaps = gaps;
    }

    /** Makes the dead-letter queue first, so the river's redrive policy can name it. */
    @Override
    public void create(RiverName river) {
        String dlqName = stage.riverDeadLetterQueue(river);
        String dlqUrl = createQueue(dlqName, Map.of(
                QueueAttributeName.KMS_MASTER_KEY_ID, stage.keyAlias(),
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, FOURTEEN_DAYS));
        String dlqArn = queues.arnOf(dlqName, dlqUrl);
        String queueName = stage.riverQueue(river);
        String queueArn = dlqArn.substring(0, dlqArn.length() - "-dlq".length());
        // the dead-letter queue takes what the river gives up on, and what SNS could not deliver to it
        Map<QueueAttributeName, String> policy = Map.of(QueueAttributeName.POLICY, policy(dlqArn));
        Map<QueueAttributeName, String> hardened = Map.of(
                QueueAttributeName.POLICY, policy(dlqArn),
                QueueAttributeName.REDRIVE_ALLOW_POLICY, Json.compact(Json.object()
                        .put("redrivePermission", "byQueue")
                        .set("sourceQueueArns", Json.array().add(queueArn))));
        AwsErrors.call("sqs:SetQueueAttributes", "SQS queue " + dlqName, stage.value(), () -> gaps.withFallback(
                "the SQS queue attribute RedriveAllowPolicy",
                () -> sqs.setQueueAttributes(b -> b.queueUrl(dlqUrl).attributes(hardened)),
                () -> sqs.setQueueAttributes(b -> b.queueUrl(dlqUrl).attributes(policy))));
        createQueue(queueName, Map.of(
                QueueAttributeName.KMS_MASTER_KEY_ID, stage.keyAlias(),
                QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS, "300",
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, FOUR_DAYS,
                QueueAttributeName.REDRIVE_POLICY, Json.compact(Json.object()
                        .put("deadLetterTargetArn", dlqArn)
                        .put("maxReceiveCount", Integer.toString(MAX_RECEIVES))),
                QueueAttributeName.POLICY, policy(queueArn)));
    }

    /** Asked of SQS each time: a river another process deleted must not live on in this one's memory. */
    @Override
    public boolean exists(RiverName river) {
        return queues.fresh(stage.riverQueue(river)).isPresent();
    }

    /** The river first (nothing more is handed out), then its dead-letter queue; either gone already is fine. */
    @Override
    public void delete(RiverName river) {
        for (String name : List.of(stage.riverQueue(river), stage.riverDeadLetterQueue(river))) {
            Optional<String> url = queues.urlOf(name);
            if (url.isPresent()) {
                try {
                    AwsErrors.call("sqs:DeleteQueue", "SQS queue " + name, stage.value(),
                            () -> sqs.deleteQueue(b -> b.queueUrl(url.get())));
                } catch (QueueDoesNotExistException gone) {
                    // deleted meanwhile: what was asked
                }
                queues.forget(name);
            }
        }
    }

    /** SQS's PurgeQueue: at most one a minute per queue, which it refuses in one line. */
    @Override
    public long purge(RiverName river) {
        String url = urlOrRefuse(river);
        String name = stage.riverQueue(river);
        Map<QueueAttributeName, String> counts = AwsErrors.call("sqs:GetQueueAttributes", "SQS queue " + name, stage.value(),
                () -> sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes());
        try {
            AwsErrors.call("sqs:PurgeQueue", "SQS queue " + name, stage.value(), () -> sqs.purgeQueue(b -> b.queueUrl(url)));
        } catch (PurgeQueueInProgressException tooSoon) {
            throw new InvalidInput("river '" + river + "' was purged less than a minute ago (SQS allows one purge a minute);"
                    + " try again in a minute");
        }
        return counts.values().stream().mapToLong(Long::parseLong).sum();
    }

    /**
     * By the queue's tags: the control plane's carry {@link #MADE_BY_CONTROL_PLANE}; a service stack's carry
     * {@link #OWNED_BY} naming the stack (cfn/service.yaml); anything else was made outside rr.
     */
    @Override
    public Optional<String> madeElsewhere(RiverName river) {
        Optional<String> url = queues.url(river);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> tags = AwsErrors.call("sqs:ListQueueTags", "SQS queue " + stage.riverQueue(river), stage.value(),
                () -> sqs.listQueueTags(b -> b.queueUrl(url.get())).tags());
        if (MADE_BY_CONTROL_PLANE.entrySet().stream().allMatch(tag -> tag.getValue().equals(tags.get(tag.getKey())))) {
            return Optional.empty();
        }
        String stack = tags.getOrDefault(OWNED_BY, tags.get("aws:cloudformation:stack-name"));
        return Optional.of(stack != null ? "the stack " + stack : "someone outside rr (its queue "
                + stage.riverQueue(river) + " has no tag rr-made-by=control-plane)");
    }

    @Override
    public List<RiverName> names() {
        String prefix = "rr-" + stage.value() + "-";
        List<RiverName> names = new ArrayList<>();
        AwsErrors.call("sqs:ListQueues", "SQS queues " + prefix + "*", stage.value(), () -> {
            sqs.listQueuesPaginator(b -> b.queueNamePrefix(prefix).maxResults(1000)).queueUrls().forEach(url -> {
                String name = url.substring(url.lastIndexOf('/') + 1);
                if (!name.endsWith("-dlq") && name.startsWith(prefix)) {
                    names.add(RiverName.of(name.substring(prefix.length())));
                }
            });
            return null;
        });
        names.sort(null);
        return names;
    }

    @Override
    public List<Delivery> receive(RiverName river, int max, Duration wait, Duration visibility) {
        String url = urlOrRefuse(river);
        int waitSeconds = (int) Math.min(20, Math.max(0, (wait.toMillis() + 999) / 1000));
        List<Message> messages;
        try {
            messages = AwsErrors.call("sqs:ReceiveMessage", "SQS queue " + stage.riverQueue(river), stage.value(),
                    () -> sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(Math.min(10, max))
                            .waitTimeSeconds(waitSeconds).visibilityTimeout((int) visibility.toSeconds())
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                            .messageAttributeNames(Delivery.REPLAY_ATTRIBUTE, Delivery.REMINDER_ATTRIBUTE)).messages());
        } catch (RuntimeException failed) {
            if (failed instanceof QueueDoesNotExistException || failed.getCause() instanceof QueueDoesNotExistException) {
                // deleted since this process found it (rr river delete)
                queues.forget(stage.riverQueue(river));
                throw new InvalidInput("river '" + river + "' does not exist (subscribe it to a topic to create it)");
            }
            throw failed;
        }
        return messages.stream().map(m -> new Delivery(m.receiptHandle(), m.body(), Integer.parseInt(
                m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")),
                Delivery.replayOf(attribute(m, Delivery.REPLAY_ATTRIBUTE)), isReminder(m, river))).toList();
    }

    /** A message attribute's text, or null. */
    static String attribute(Message message, String name) {
        return message.hasMessageAttributes() && message.messageAttributes().containsKey(name)
                ? message.messageAttributes().get(name).stringValue() : null;
    }

    /** Marked by putLater, naming this river: SNS delivers only the fan-out's two attributes, so nothing from the rapids is. */
    static boolean isReminder(Message message, RiverName river) {
        return river.value().equals(attribute(message, Delivery.REMINDER_ATTRIBUTE));
    }

    /** The attribute that marks a reminder of the river. */
    static Map<String, MessageAttributeValue> reminderMark(RiverName river) {
        return Map.of(Delivery.REMINDER_ATTRIBUTE, MessageAttributeValue.builder().dataType("String").stringValue(river.value()).build());
    }

    @Override
    public int depth(RiverName river) {
        String url = urlOrRefuse(river);
        return Integer.parseInt(AwsErrors.call("sqs:GetQueueAttributes", "SQS queue " + stage.riverQueue(river), stage.value(),
                () -> sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        .attributes().getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")));
    }

    @Override
    public void delete(RiverName river, List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        String url = urlOrRefuse(river);
        // a stale receipt (the message went back and someone else received it) deletes nothing, as embedded
        List<SqsBatches.Failed<Delivery>> failed = batches.delete(stage.riverQueue(river), url, deliveries, Delivery::receipt)
                .stream().filter(f -> !"ReceiptHandleIsInvalid".equals(f.code())).toList();
        if (!failed.isEmpty()) {
            throw new BackendUnavailable(failed.size() + " of " + deliveries.size() + " messages of river " + river
                    + " could not be deleted (" + failed.get(0).code() + ": " + failed.get(0).message()
                    + "); they come back after the visibility timeout");
        }
    }

    /**
     * SQS delays in whole seconds, up to 15 minutes: never earlier than asked, at most a second later. The
     * message carries the reminder mark, an attribute naming the river.
     */
    @Override
    public void putLater(RiverName river, String body, Duration delay) {
        String url = urlOrRefuse(river);
        int seconds = (int) Math.min(MAX_DELAY_SECONDS, Math.max(0, (delay.toMillis() + 999) / 1000));
        AwsErrors.call("sqs:SendMessage", "SQS queue " + stage.riverQueue(river), stage.value(),
                () -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).delaySeconds(seconds)
                        .messageAttributes(reminderMark(river))));
    }

    /**
     * Sent to the dead-letter queue with the note as an attribute (and the replay's or reminder's marks it had),
     * then deleted from the river: never lost between the two; a delete with a stale receipt leaves a copy in the
     * river, which the River API skips by eventId if it comes again.
     */
    @Override
    public boolean deadLetter(RiverName river, Delivery delivery, DeadLetterNote note) {
        String dlqName = stage.riverDeadLetterQueue(river);
        String dlqUrl = queues.urlOf(dlqName).orElseThrow(() -> new BackendUnavailable("river '" + river
                + "' has no dead-letter queue " + dlqName + " (made outside rr?)"));
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put(DeadLetterNote.ATTRIBUTE, MessageAttributeValue.builder().dataType("String").stringValue(note.toJson()).build());
        if (delivery.replay() > 0) {
            attributes.put(Delivery.REPLAY_ATTRIBUTE, MessageAttributeValue.builder().dataType("Number")
                    .stringValue(Long.toString(delivery.replay())).build());
        }
        if (delivery.reminder()) {
            attributes.putAll(reminderMark(river));
        }
        AwsErrors.call("sqs:SendMessage", "SQS queue " + dlqName, stage.value(),
                () -> sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody(delivery.body()).messageAttributes(attributes)));
        delete(river, List.of(delivery));
        return true;
    }

    @Override
    public void changeVisibility(RiverName river, List<Delivery> deliveries, Duration visibility) {
        if (deliveries.isEmpty()) {
            return;
        }
        // a stale receipt (the message went back and someone else received it) changes nothing, as embedded
        batches.changeVisibility(stage.riverQueue(river), urlOrRefuse(river), deliveries, Delivery::receipt, visibility);
    }

    private String urlOrRefuse(RiverName river) {
        return queues.url(river).orElseThrow(() ->
                new InvalidInput("river '" + river + "' does not exist (subscribe it to a topic to create it)"));
    }

    private String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        String url = AwsErrors.call("sqs:CreateQueue", "SQS queue " + name, stage.value(),
                () -> sqs.createQueue(b -> b.queueName(name).attributes(attributes).tags(MADE_BY_CONTROL_PLANE)).queueUrl());
        queues.remember(name, url);
        return url;
    }

    /** Only the stage's topics may send (the rapids topic and those the control plane made past its quota), and nobody without TLS. */
    private String policy(String queueArn) {
        var send = Json.object();
        send.put("Sid", "OnlyTheRapidsTopicSends");
        send.put("Effect", "Allow");
        send.putObject("Principal").put("Service", "sns.amazonaws.com");
        send.put("Action", "sqs:SendMessage");
        send.put("Resource", queueArn);
        send.putObject("Condition").putObject("ArnLike").putArray("aws:SourceArn").add(topic.arn()).add(topic.arn() + "-*");
        var policy = Json.object();
        policy.put("Version", "2012-10-17");
        policy.putArray("Statement").add(send).add(denyWithoutTls(queueArn));
        return Json.compact(policy);
    }

    /** The statement every queue of a stage carries: no access over plain HTTP. */
    public static ObjectNode denyWithoutTls(String queueArn) {
        var deny = Json.object();
        deny.put("Sid", "DenyWithoutTls");
        deny.put("Effect", "Deny");
        deny.put("Principal", "*");
        deny.put("Action", "sqs:*");
        deny.put("Resource", queueArn);
        deny.putObject("Condition").putObject("Bool").put("aws:SecureTransport", "false");
        return deny;
    }
}
