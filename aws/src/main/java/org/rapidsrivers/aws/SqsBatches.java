package org.rapidsrivers.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.rapidsrivers.core.names.Stage;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Understands SQS's batch calls, the one place their loops are written: at most ten entries a call,
 * each entry named by its place in the call, and a batch that partly fails answered with the entries
 * that failed (their code and message), so no caller can overlook them.
 */
final class SqsBatches {
    static final int MOST = 10;

    private final SqsClient sqs;
    private final Stage stage;

    SqsBatches(SqsClient sqs, Stage stage) {
        this.sqs = sqs;
        this.stage = stage;
    }

    /** Deletes the items' messages; the ones SQS did not delete. */
    <T> List<Failed<T>> delete(String queueName, String url, List<T> items, Function<T, String> receipt) {
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
    <T> List<Failed<T>> changeVisibility(String queueName, String url, List<T> items, Function<T, String> receipt,
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
        List<T> failed = inTens(items, chunk -> {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(id(i)).messageBody(body.apply(chunk.get(i))).build());
            }
            return AwsErrors.call("sqs:SendMessageBatch", "SQS queue " + queueName, stage.value(),
                    () -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries))).failed();
        }).stream().map(Failed::item).toList();
        return items.stream().filter(item -> !failed.contains(item)).toList();
    }

    private static <T> List<Failed<T>> inTens(List<T> items, Function<List<T>, List<BatchResultErrorEntry>> call) {
        List<Failed<T>> failed = new ArrayList<>();
        for (int from = 0; from < items.size(); from += MOST) {
            List<T> chunk = items.subList(from, Math.min(items.size(), from + MOST));
            for (BatchResultErrorEntry error : call.apply(chunk)) {
                failed.add(new Failed<>(chunk.get(Integer.parseInt(error.id().substring(1))), error.code(), error.message()));
            }
        }
        return failed;
    }

    private static String id(int place) {
        return "m" + place;
    }

    /** Understands one entry of a batch that SQS did not take, and why. */
    record Failed<T>(T item, String code, String message) {
    }
}
