package org.rapidsrivers.aws.rivers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.names.Stage;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Understands SQS's batch calls, the one place their loops are written: at most ten entries a call (and for
 * sends at most {@link #MOST_BYTES} a call, SQS's limit on a batch's messages and attributes together),
 * each entry named by its place in the call, and a batch that partly fails answered with the entries
 * that failed (their code and message), so no caller can overlook them.
 */
public final class SqsBatches {
    static final int MOST = 10;
    /** What one SendMessageBatch may carry in all: 1 MiB of bodies and attributes. */
    static final int MOST_BYTES = 1024 * 1024;

    private final SqsClient sqs;
    private final Stage stage;

    public SqsBatches(SqsClient sqs, Stage stage) {
        this.sqs = sqs;
        this.stage = stage;
    }

    /** Deletes the items' messages; the ones SQS did not delete. */
    public <T> List<Failed<T>> delete(String queueName, String url, List<T> items, Function<T, String> receipt) {
        return inTens(items, chunk -> {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(id(i)).receiptHandle(receipt.apply(chunk.get(i))).build());
            }
            return AwsErrors.call("sqs:DeleteMessageBatch", "SQS queue " + queueName, stage.value(),
                    () -> sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries))).failed();
        });
    }

    /** Makes the items' messages visible again after {@code visibility}; the ones SQS did not change. */
    public <T> List<Failed<T>> changeVisibility(String queueName, String url, List<T> items, Function<T, String> receipt,
                                         Duration visibility) {
        return inTens(items, chunk -> {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(id(i)).receiptHandle(receipt.apply(chunk.get(i)))
                        .visibilityTimeout((int) visibility.toSeconds()).build());
            }
            return AwsErrors.call("sqs:ChangeMessageVisibilityBatch", "SQS queue " + queueName, stage.value(),
                    () -> sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries))).failed();
        });
    }

    /** Sends the items' bodies as they are; the items SQS took. */
    <T> List<T> send(String queueName, String url, List<T> items, Function<T, String> body) {
        return send(queueName, url, items, item -> new Outgoing(body.apply(item), Map.of()), (item, failure) -> { });
    }

    /**
     * Sends each item's message, in calls of at most ten and {@link #MOST_BYTES}; the items SQS took. One SQS
     * did not take is told to {@code refused} with SQS's code and message.
     */
    public <T> List<T> send(String queueName, String url, List<T> items, Function<T, Outgoing> message,
                            BiConsumer<T, String> refused) {
        List<Failed<T>> failed = inChunks(items, item -> message.apply(item).bytes(), chunk -> {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                Outgoing outgoing = message.apply(chunk.get(i));
                entries.add(SendMessageBatchRequestEntry.builder().id(id(i)).messageBody(outgoing.body())
                        .messageAttributes(outgoing.attributes()).build());
            }
            return AwsErrors.call("sqs:SendMessageBatch", "SQS queue " + queueName, stage.value(),
                    () -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries))).failed();
        });
        failed.forEach(f -> refused.accept(f.item(), f.code() + ": " + f.message()));
        List<T> notSent = failed.stream().map(Failed::item).toList();
        return items.stream().filter(item -> !notSent.contains(item)).toList();
    }

    /** Understands one message to send: its body and its message attributes. */
    public record Outgoing(String body, Map<String, MessageAttributeValue> attributes) {
        public Outgoing {
            attributes = Map.copyOf(attributes);
        }

        /** What SQS counts of it against a batch's limit: the body, and each attribute's name, type and value. */
        int bytes() {
            int bytes = utf8(body);
            for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
                bytes += utf8(attribute.getKey()) + utf8(attribute.getValue().dataType())
                        + (attribute.getValue().stringValue() == null ? 0 : utf8(attribute.getValue().stringValue()));
            }
            return bytes;
        }

        private static int utf8(String text) {
            return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private static <T> List<Failed<T>> inTens(List<T> items, Function<List<T>, List<BatchResultErrorEntry>> call) {
        return inChunks(items, item -> 0, call);
    }

    /** Calls of at most ten items and at most {@link #MOST_BYTES} by {@code bytes} (an item alone may be more: SQS says no to it). */
    private static <T> List<Failed<T>> inChunks(List<T> items, ToIntFunction<T> bytes,
                                                Function<List<T>, List<BatchResultErrorEntry>> call) {
        List<Failed<T>> failed = new ArrayList<>();
        int from = 0;
        while (from < items.size()) {
            int to = from;
            long size = 0;
            while (to < items.size() && to - from < MOST) {
                int next = bytes.applyAsInt(items.get(to));
                if (to > from && size + next > MOST_BYTES) {
                    break;
                }
                size += next;
                to++;
            }
            List<T> chunk = items.subList(from, to);
            for (BatchResultErrorEntry error : call.apply(chunk)) {
                failed.add(new Failed<>(chunk.get(Integer.parseInt(error.id().substring(1))), error.code(), error.message()));
            }
            from = to;
        }
        return failed;
    }

    private static String id(int place) {
        return "m" + place;
    }

    /** Understands one entry of a batch that SQS did not take, and why. */
    public record Failed<T>(T item, String code, String message) {
    }
}
