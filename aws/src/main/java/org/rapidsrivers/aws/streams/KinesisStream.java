package org.rapidsrivers.aws.streams;

import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.PartialRetry;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.BackendUnavailable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Understands how to put records on a Kinesis stream: one PutRecord for a single record, PutRecords
 * (up to 500 records and 5 MiB a call) for many, and the failed entries of a partial PutRecords put
 * again with backoff until they are all in, or it gives up and says how many were not.
 */
public final class KinesisStream {
    static final int MAX_RECORDS_PER_CALL = 500;
    static final int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
    private static final int ATTEMPTS = 6;

    private final KinesisClient kinesis;
    private final String stream;
    private final String stage;

    public KinesisStream(KinesisClient kinesis, String stream, String stage) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.stage = stage;
    }

    String name() {
        return stream;
    }

    void put(String partitionKey, byte[] data) {
        AwsErrors.call("kinesis:PutRecord", "Kinesis stream " + stream, stage, () -> kinesis.putRecord(b -> b
                .streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromByteArrayUnsafe(data))));
    }

    void putAll(List<Entry> entries) {
        List<PutRecordsRequestEntry> chunk = new ArrayList<>();
        int bytes = 0;
        for (Entry entry : entries) {
            int size = entry.data().length + entry.partitionKey().length();
            if (!chunk.isEmpty() && (chunk.size() == MAX_RECORDS_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
                putChunk(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(PutRecordsRequestEntry.builder().partitionKey(entry.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(entry.data())).build());
            bytes += size;
        }
        if (!chunk.isEmpty()) {
            putChunk(chunk);
        }
    }

    private void putChunk(List<PutRecordsRequestEntry> chunk) {
        PartialRetry.Refused<PutRecordsRequestEntry> left = PartialRetry.send(chunk, ATTEMPTS, sending -> {
            PutRecordsResponse response = AwsErrors.call("kinesis:PutRecords", "Kinesis stream " + stream, stage,
                    () -> kinesis.putRecords(b -> b.streamName(stream).records(sending)));
            if (response.failedRecordCount() == null || response.failedRecordCount() == 0) {
                return PartialRetry.Refused.none();
            }
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            String reason = "";
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) {
                    failed.add(sending.get(i));
                    reason = results.get(i).errorCode();
                }
            }
            return new PartialRetry.Refused<>(failed, reason);
        });
        if (!left.isEmpty()) {
            throw new BackendUnavailable(left.entries().size() + " of " + chunk.size() + " records were not accepted by"
                    + " Kinesis stream " + stream + " after " + ATTEMPTS + " attempts (" + left.reason() + ")");
        }
    }

    /** Understands one record to put. */
    record Entry(String partitionKey, byte[] data) {
    }
}
