package org.rapidsrivers.cli.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.rapidsrivers.function.ServiceFunction;

/**
 * Understands one cold start of a service's function, run in a fresh JVM on what Lambda would load (the
 * service function's runtime jar and the service's jar): the handler made the way Lambda makes it (the
 * stage and the service from the environment: it announces the service on the rapids), then handed a
 * first batch of ten ViewPage messages as an SQS mapping would. It prints one JSON line with the
 * milliseconds from JVM start to the end of that batch; scripts/bench-coldstart.sh runs it.
 */
public final class ServiceColdStartProbe {
    private ServiceColdStartProbe() {
    }

    public static void main(String[] args) {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long initStart = System.nanoTime();
        ServiceFunction handler = new ServiceFunction();
        long initEnd = System.nanoTime();
        SQSBatchResponse response = handler.handleRequest(batch(messages), null);
        long batchEnd = System.nanoTime();
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        int failures = response.getBatchItemFailures() == null ? 0 : response.getBatchItemFailures().size();
        System.out.printf("{\"service\":\"%s\",\"messages\":%d,\"init_ms\":%.0f,\"first_batch_ms\":%.0f,\"total_ms\":%d,"
                        + "\"failures\":%d}%n", handler.serviceName(), messages, (initEnd - initStart) / 1e6,
                (batchEnd - initEnd) / 1e6, sinceJvmStart, failures);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static SQSEvent batch(int count) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(id);
            message.setReceiptHandle("cold-" + id);
            message.setBody("{\"eventId\":\"" + id + "\",\"eventType\":\"ViewPage\",\"eventDomain\":\"probe\","
                    + "\"timestamp\":\"2026-11-30T12:00:00.000Z\",\"payload\":{\"user\":\"user-" + i + "\"}}");
            message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            message.setEventSource("aws:sqs");
            records.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }
}
