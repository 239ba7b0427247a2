package org.rapidsrivers.aws.rivers;

import org.rapidsrivers.aws.AwsErrors;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Understands where a river's queue is: its URL and ARN, looked up once and remembered for the process. */
public final class RiverQueues {
    private final SqsClient sqs;
    private final Stage stage;
    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private final Map<String, String> arns = new ConcurrentHashMap<>();

    public RiverQueues(SqsClient sqs, Stage stage) {
        this.sqs = sqs;
        this.stage = stage;
    }

    public Optional<String> url(RiverName river) {
        return urlOf(stage.riverQueue(river));
    }

    public Optional<String> urlOf(String queueName) {
        String known = urls.get(queueName);
        if (known != null) {
            return Optional.of(known);
        }
        return fresh(queueName);
    }

    /** Asked of SQS now, not of what this process remembers: another may have deleted it since. */
    public Optional<String> fresh(String queueName) {
        urls.remove(queueName);
        try {
            String url = AwsErrors.call("sqs:GetQueueUrl", "SQS queue " + queueName, stage.value(),
                    () -> sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl());
            urls.put(queueName, url);
            return Optional.of(url);
        } catch (QueueDoesNotExistException missing) {
            return Optional.empty();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof QueueDoesNotExistException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    String arnOf(String queueName, String url) {
        return arns.computeIfAbsent(queueName, name -> AwsErrors.call("sqs:GetQueueAttributes", "SQS queue " + name,
                stage.value(), () -> sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN)));
    }

    void remember(String queueName, String url) {
        urls.put(queueName, url);
    }

    void forget(String queueName) {
        urls.remove(queueName);
        arns.remove(queueName);
    }
}
