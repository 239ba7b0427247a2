package org.rapidsrivers.aws.operate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.rivers.SqsBatches;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.DeadLetterNote;
import org.rapidsrivers.core.ports.Delivery;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Understands reading a dead-letter queue without taking anything from it (received, then made visible
 * again at once), and moving its messages on: receive ten, send them where they belong, note them in a
 * journal, delete them. A move that was killed leaves messages hidden for {@link #HOLD}; running it
 * again waits for them, and the journal says which were sent already, so none is lost and only the batch
 * whose send was in flight at the kill (SQS cannot say whether it went through) can go on twice.
 */
final class SqsQueueMove {
    static final Duration HOLD = Duration.ofSeconds(10);
    /** What a moved message keeps of its attributes: a replay's generation and a reminder's mark, as it had them. */
    static final Set<String> KEPT_ATTRIBUTES = Set.of(
            Delivery.REPLAY_ATTRIBUTE, Delivery.REMINDER_ATTRIBUTE);
    /** What is read of a dead letter: what a move keeps, and why it is there (which a move drops). */
    private static final Set<String> READ_ATTRIBUTES = Set.of(
            Delivery.REPLAY_ATTRIBUTE, Delivery.REMINDER_ATTRIBUTE, DeadLetterNote.ATTRIBUTE);

    private final SqsClient sqs;
    private final Stage stage;
    private final SqsBatches batches;

    SqsQueueMove(SqsClient sqs, Stage stage) {
        this.sqs = sqs;
        this.stage = stage;
        this.batches = new SqsBatches(sqs, stage);
    }

    /** Up to {@code max} messages, oldest receive first, all visible again when this returns. */
    List<Message> peek(String queueName, String url, int max) {
        List<Message> seen = new ArrayList<>();
        try {
            while (seen.size() < max) {
                List<Message> batch = receive(queueName, url, Math.min(10, max - seen.size()), Duration.ofSeconds(30));
                if (batch.isEmpty()) {
                    break;
                }
                seen.addAll(batch);
            }
        } finally {
            release(queueName, url, seen);
        }
        return seen;
    }

    /**
     * Moves up to {@code max} messages with {@code send}, which answers the messages it sent (the rest
     * stay); how many left the queue. A run that finds the journal of one that did not finish keeps
     * looking until everything that run could have held has come back ({@link #HOLD} after this run began):
     * SQS's count of hidden messages is approximate (and moto's misses some), so time decides, not the count.
     */
    long move(String queueName, String url, int max, RedriveJournal journal, Function<List<Message>, List<Message>> send) {
        long lookUntil = journal.leftByAnInterruptedRun() ? System.nanoTime() + HOLD.plusSeconds(2).toNanos() : 0;
        journal.begin();
        long moved = 0;
        while (moved < max) {
            List<Message> batch = receive(queueName, url, (int) Math.min(10, max - moved), HOLD);
            if (batch.isEmpty()) {
                if (System.nanoTime() >= lookUntil) {
                    // empty, and nothing an interrupted run held can still come back: done
                    journal.forget();
                    break;
                }
                continue;
            }
            List<Message> done = new ArrayList<>(batch.stream().filter(m -> journal.wasSent(m.messageId())).toList());
            List<Message> fresh = batch.stream().filter(m -> !journal.wasSent(m.messageId())).toList();
            List<Message> sent = fresh.isEmpty() ? List.of() : send.apply(fresh);
            journal.sent(sent.stream().map(Message::messageId).toList());
            done.addAll(sent);
            // a message SQS did not delete comes back after the hold; the journal then deletes it without a send
            moved += done.size() - batches.delete(queueName, url, done, Message::receiptHandle).size();
            List<Message> unsent = fresh.stream().filter(m -> !sent.contains(m)).toList();
            release(queueName, url, unsent);
            if (!unsent.isEmpty() && sent.isEmpty() && done.isEmpty()) {
                break;
            }
        }
        return moved;
    }

    /**
     * Takes up to {@code max} of the messages {@code wanted} picks out of the queue: each batch handed to
     * {@code record} first, then deleted (a record that throws deletes nothing); the others are hidden while
     * the queue is looked through and visible again when this returns. The ones taken.
     */
    List<Message> take(String queueName, String url, int max, Predicate<Message> wanted, Consumer<List<Message>> record) {
        List<Message> passed = new ArrayList<>();
        List<Message> taken = new ArrayList<>();
        try {
            while (taken.size() < max) {
                List<Message> batch = receive(queueName, url, 10, Duration.ofSeconds(30));
                if (batch.isEmpty()) {
                    break;
                }
                List<Message> chosen = new ArrayList<>(batch.stream().filter(wanted).limit(max - taken.size()).toList());
                batch.stream().filter(m -> !chosen.contains(m)).forEach(passed::add);
                if (!chosen.isEmpty()) {
                    try {
                        record.accept(chosen);
                    } catch (RuntimeException unrecorded) {
                        // nothing unrecorded goes: they are visible again with the rest
                        passed.addAll(chosen);
                        throw unrecorded;
                    }
                    List<Message> kept = batches.delete(queueName, url, chosen, Message::receiptHandle).stream()
                            .map(SqsBatches.Failed::item).toList();
                    chosen.removeAll(kept);
                    passed.addAll(kept);
                    taken.addAll(chosen);
                }
            }
        } finally {
            release(queueName, url, passed);
        }
        return taken;
    }

    private List<Message> receive(String queueName, String url, int max, Duration visibility) {
        return AwsErrors.call("sqs:ReceiveMessage", "SQS queue " + queueName, stage.value(), () -> sqs.receiveMessage(b -> b
                .queueUrl(url).maxNumberOfMessages(max).waitTimeSeconds(1).visibilityTimeout((int) visibility.toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        MessageSystemAttributeName.SENT_TIMESTAMP)
                .messageAttributeNames(READ_ATTRIBUTES.toArray(String[]::new))).messages());
    }

    /** Visible again now, not after the hold (one SQS did not release comes back after it). */
    private void release(String queueName, String url, List<Message> messages) {
        batches.changeVisibility(queueName, url, messages, Message::receiptHandle, Duration.ZERO);
    }

    /** Visible and hidden together, in one call. */
    long held(String queueName, String url) {
        Map<QueueAttributeName, String> counts = AwsErrors.call("sqs:GetQueueAttributes", "SQS queue " + queueName,
                stage.value(), () -> sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes());
        return counts.values().stream().mapToLong(Long::parseLong).sum();
    }


}
