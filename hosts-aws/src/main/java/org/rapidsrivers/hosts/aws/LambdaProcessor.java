package org.rapidsrivers.hosts.aws;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;

/**
 * Understands invoking a plane's real Lambda handler class as Lambda would: the batch as a
 * {@code KinesisEvent} built like Lambda's (event ids, source ARN, region), a context with the
 * function's name and time left, and its batch item failures read back as the records not processed.
 */
final class LambdaProcessor implements StreamProcessor {
    private final RequestHandler<KinesisEvent, StreamsEventResponse> handler;
    private final String function;
    private final Supplier<String> streamArn;
    private final String region;
    private final Duration timeout;

    LambdaProcessor(RequestHandler<KinesisEvent, StreamsEventResponse> handler, String function, Supplier<String> streamArn,
                    String region, Duration timeout) {
        this.handler = handler;
        this.function = function;
        this.streamArn = streamArn;
        this.region = region;
        this.timeout = timeout;
    }

    @Override
    public BatchResult process(List<StreamRecord> batch) {
        StreamsEventResponse response = handler.handleRequest(event(batch), new HostContext(function, timeout.toMillis()));
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return BatchResult.success();
        }
        List<String> failed = response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
        String lowest = failed.stream().min((a, b) -> new BigInteger(a).compareTo(new BigInteger(b)))
                .orElseThrow();
        return new BatchResult(failed, "the handler reported batch item failures from " + lowest);
    }

    private KinesisEvent event(List<StreamRecord> batch) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (StreamRecord record : batch) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setKinesisSchemaVersion("1.0");
            kinesis.setPartitionKey(record.partitionKey());
            kinesis.setSequenceNumber(record.sequenceNumber());
            kinesis.setData(ByteBuffer.wrap(record.data()));
            kinesis.setApproximateArrivalTimestamp(record.arrivedAt() == null ? new Date() : Date.from(record.arrivedAt()));
            KinesisEvent.KinesisEventRecord eventRecord = new KinesisEvent.KinesisEventRecord();
            eventRecord.setKinesis(kinesis);
            eventRecord.setEventSource("aws:kinesis");
            eventRecord.setEventVersion("1.0");
            eventRecord.setEventID(record.shardId() + ":" + record.sequenceNumber());
            eventRecord.setEventName("aws:kinesis:record");
            eventRecord.setInvokeIdentityArn("arn:aws:iam::000000000000:role/" + function);
            eventRecord.setAwsRegion(region);
            eventRecord.setEventSourceARN(streamArn.get());
            records.add(eventRecord);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }
}
