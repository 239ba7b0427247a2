package org.rapidsrivers.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.FailureNotes;
import org.rapidsrivers.core.plane.PlaneLog;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;

/**
 * Understands the shapes Lambda uses for a Kinesis event source: a {@code KinesisEvent} in becomes
 * the planes' stream records; their batch result goes back as a {@code StreamsEventResponse} with
 * the sequence numbers to retry from as batch item failures.
 */
public final class LambdaKinesis {
    private LambdaKinesis() {
    }

    public static List<StreamRecord> records(KinesisEvent event) {
        if (event == null || event.getRecords() == null) {
            return List.of();
        }
        return event.getRecords().stream().map(LambdaKinesis::record).toList();
    }

    /**
     * Runs the plane over the event's records, says what happened (one JSON line each), notes why the first
     * record it could not process failed (Lambda's own dead letter will say only that it gave up), and answers Lambda.
     */
    public static StreamsEventResponse handle(KinesisEvent event, StreamProcessor plane, PlaneLog log, FailureNotes notes,
                                              String consumer) {
        long started = System.nanoTime();
        List<StreamRecord> records = records(event);
        BatchResult result = plane.process(records);
        log.batch(records, result, (System.nanoTime() - started) / 1_000_000);
        if (!result.failedSequenceNumbers().isEmpty() && !result.stageUnreachable()) {
            records.stream().filter(r -> result.failedSequenceNumbers().contains(r.sequenceNumber())).findFirst().ifPresent(first -> {
                try {
                    notes.note(consumer, first, result.reason());
                } catch (RuntimeException unreachable) {
                    // the log line above says it too; the batch's answer matters more
                }
            });
        }
        return response(result);
    }

    public static StreamsEventResponse response(BatchResult result) {
        return StreamsEventResponse.builder()
                .withBatchItemFailures(result.failedSequenceNumbers().stream()
                        .map(seq -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build())
                        .toList())
                .build();
    }

    private static StreamRecord record(KinesisEvent.KinesisEventRecord eventRecord) {
        KinesisEvent.Record kinesis = eventRecord.getKinesis();
        String eventId = eventRecord.getEventID();
        String shardId = eventId != null && eventId.contains(":") ? eventId.substring(0, eventId.indexOf(':')) : "";
        Instant arrived = kinesis.getApproximateArrivalTimestamp() == null ? Instant.EPOCH
                : kinesis.getApproximateArrivalTimestamp().toInstant();
        return new StreamRecord(shardId, kinesis.getSequenceNumber(), kinesis.getPartitionKey(), bytes(kinesis.getData()),
                arrived);
    }

    private static byte[] bytes(ByteBuffer data) {
        if (data == null) {
            return new byte[0];
        }
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
