package org.rapidsrivers.hosts.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rapidsrivers.core.names.Stage;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Understands what a Kinesis Data Firehose delivery stream does for a stage on AWS, for an emulator whose
 * Firehose reads no Kinesis source: a batch of the rapids' records becomes one S3 object in the archive's
 * layout, one record per line, bytes as they are. It runs as its own consumer of the rapids, beside the
 * fan-out and never in its way: a batch it cannot write is retried by its host and, after that, put in
 * the fan-out's dead-letter queue with the reason; routing goes on either way.
 */
final class ArchiveStandIn implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private final S3Client s3;
    private final String bucket;
    private final Stage stage;
    private final Clock clock;
    private final AtomicLong puts = new AtomicLong();

    ArchiveStandIn(S3Client s3, String bucket, Stage stage, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.stage = stage;
        this.clock = clock;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords();
        if (records == null || records.isEmpty()) {
            return new StreamsEventResponse();
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (KinesisEvent.KinesisEventRecord record : records) {
            ByteBuffer data = record.getKinesis().getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            lines.writeBytes(bytes);
            lines.write('\n');
        }
        KinesisEvent.KinesisEventRecord first = records.get(0);
        String shard = first.getEventID().substring(0, first.getEventID().indexOf(':'));
        String key = ArchiveLayout.objectKey(stage, clock.instant(), shard, first.getKinesis().getSequenceNumber());
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/x-ndjson"), RequestBody.fromBytes(lines.toByteArray()));
        puts.incrementAndGet();
        return new StreamsEventResponse();
    }

    /** How many objects it wrote: what a delivery stream would have written, counted apart from rr's own calls. */
    long puts() {
        return puts.get();
    }
}
