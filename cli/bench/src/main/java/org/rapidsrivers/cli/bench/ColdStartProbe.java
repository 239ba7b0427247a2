package org.rapidsrivers.cli.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.rapidsrivers.control.lambda.ControlPlaneHandler;
import org.rapidsrivers.data.lambda.FanOutHandler;

/**
 * Understands one cold start of a plane's Lambda, run in a fresh JVM on the plane's Lambda jar: the
 * handler is made the way Lambda makes it (settings from the environment), then handed a first batch
 * of 100 records. It prints one JSON line with the milliseconds from JVM start to the end of that batch.
 * It uses nothing but what the Lambda jar holds; scripts/bench-coldstart.sh runs it.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) {
        String plane = args[0];
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long initStart = System.nanoTime();
        RequestHandler<KinesisEvent, StreamsEventResponse> handler = plane.equals("control")
                ? new ControlPlaneHandler() : new FanOutHandler();
        long initEnd = System.nanoTime();
        StreamsEventResponse response = handler.handleRequest(batch(plane, records), null);
        long batchEnd = System.nanoTime();
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        int failures = response.getBatchItemFailures() == null ? 0 : response.getBatchItemFailures().size();
        System.out.printf("{\"plane\":\"%s\",\"records\":%d,\"init_ms\":%.0f,\"first_batch_ms\":%.0f,\"total_ms\":%d,"
                        + "\"failures\":%d}%n", plane, records, (initEnd - initStart) / 1e6, (batchEnd - initEnd) / 1e6,
                sinceJvmStart, failures);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static KinesisEvent batch(String plane, int count) {
        String topic = System.getenv().getOrDefault("RR_PROBE_TOPIC", "ColdStart");
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            String text = plane.equals("control")
                    ? "{\"command\":\"advertise\",\"commandArgs\":{\"topic\":\"" + topic + "-" + i + "\"},\"commandId\":\"" + id + "\"}"
                    : "{\"eventId\":\"" + id + "\",\"eventType\":\"" + topic + "\",\"eventDomain\":\"probe\","
                    + "\"timestamp\":\"2026-11-24T12:00:00.000Z\",\"payload\":{\"n\":" + i + "}}";
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setData(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            kinesis.setPartitionKey(id);
            kinesis.setSequenceNumber(Long.toString(49_000_000_000L + i));
            kinesis.setApproximateArrivalTimestamp(new Date());
            kinesis.setKinesisSchemaVersion("1.0");
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventID("shardId-000000000000:" + kinesis.getSequenceNumber());
            record.setEventSource("aws:kinesis");
            records.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }
}
