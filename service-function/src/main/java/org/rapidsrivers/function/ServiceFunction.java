package org.rapidsrivers.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.lambda.LambdaEnvironment;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.operate.TrafficNotes;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Visibility;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.ServiceCatalog;
import org.rapidsrivers.service.ServiceRunner;
import org.rapidsrivers.service.ServiceSettings;

/**
 * Understands a service deployed as a Lambda function on its river: the SQS event source mapping hands
 * it a batch, the service's rivers handle it exactly as a running {@code rr service} would (the same
 * {@link ServiceRunner}: de-duplication and needs in the pond, reminders in its own river), and what
 * was not handled goes back as batch item failures, so only those messages return to the river (after
 * five receives, its dead-letter queue). Every failed message is one JSON line with its messageId,
 * eventId and reason; every batch one line of CloudWatch Embedded Metric Format with the river's counters.
 * The service is the one named by RR_SERVICE among those on the function's class path.
 */
public final class ServiceFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /**
     * The pond entry where a function notes its last batch (when, and what came of it): a function has no
     * heartbeat, so this is how rr status tells one that works from one that is not there.
     */
    public static final String LAST_HANDLED = TrafficNotes.LAST_BATCH;

    private final ServiceRunner runner;
    private final String service;
    private final JsonLines out;
    private final List<String> linesOfThisBatch = new ArrayList<>();

    /** Lambda's: the stage from RR_STAGE, the service from RR_SERVICE, logs and metrics on standard output. */
    public ServiceFunction() {
        this(AwsBackend.open(LambdaEnvironment.settings()), serviceNamed(System.getenv("RR_SERVICE")), System.out::println);
    }

    /** On a given stage with a given service: the host's, which runs deployed mappings where Lambda cannot. */
    public ServiceFunction(Backend backend, Service service, Consumer<String> out) {
        this.service = service.name();
        this.out = new JsonLines(out, backend.stage().value(), service.name());
        this.runner = new ServiceRunner(backend, service, ServiceSettings.builder().log(line -> {
            synchronized (linesOfThisBatch) {
                linesOfThisBatch.add(line);
            }
            this.out.info(line);
        }).visibility(Visibility.FUNCTION).build());
        runner.startDeployed();
    }

    /** The generation of the replay that sent the message, 0 for a live one. */
    private static long replayOf(SQSEvent.SQSMessage message) {
        return Delivery.replayOf(attribute(message, Delivery.REPLAY_ATTRIBUTE));
    }

    /** A reminder its service set in its own river: marked by an attribute naming the river (the service's name). */
    private boolean isReminder(SQSEvent.SQSMessage message) {
        return service.equals(attribute(message, Delivery.REMINDER_ATTRIBUTE));
    }

    private static String attribute(SQSEvent.SQSMessage message, String name) {
        Map<String, SQSEvent.MessageAttribute> attributes = message.getMessageAttributes();
        SQSEvent.MessageAttribute attribute = attributes == null ? null : attributes.get(name);
        return attribute == null ? null : attribute.getStringValue();
    }

    static Service serviceNamed(String name) {
        if (name == null || name.isBlank()) {
            throw new BackendUnavailable("RR_SERVICE is not set: the function does not know which service it runs");
        }
        return ServiceCatalog.onClassPath().create(name.strip());
    }

    @Override
    public synchronized SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSEvent.SQSMessage> messages = event.getRecords() == null ? List.of() : event.getRecords();
        Map<Delivery, SQSEvent.SQSMessage> byDelivery = new IdentityHashMap<>();
        List<Delivery> batch = new ArrayList<>(messages.size());
        for (SQSEvent.SQSMessage message : messages) {
            Delivery delivery = new Delivery(message.getReceiptHandle(), message.getBody(), receiveCount(message),
                    replayOf(message), isReminder(message));
            byDelivery.put(delivery, message);
            batch.add(delivery);
        }
        synchronized (linesOfThisBatch) {
            linesOfThisBatch.clear();
        }
        ServiceRunner.Stats before = runner.stats();
        long started = System.nanoTime();
        Set<Delivery> done = Collections.newSetFromMap(new IdentityHashMap<>());
        done.addAll(runner.handleBatch(batch));
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (Delivery delivery : batch) {
            if (!done.contains(delivery)) {
                SQSEvent.SQSMessage message = byDelivery.get(delivery);
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
                String eventId = EventIds.of(delivery.body());
                out.failed(message.getMessageId(), eventId, reasonFor(eventId), delivery.receiveCount());
            }
        }
        ServiceRunner.Stats after = runner.stats();
        out.metrics(batch.size(), after.handled() - before.handled(), failures.size(), after.duplicates() - before.duplicates(),
                millis);
        noteLastBatch(batch.size(), after.handled() - before.handled(), failures.size(), after.duplicates() - before.duplicates());
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** One write to its own pond per batch; a failure to note it is said and costs the batch nothing. */
    private void noteLastBatch(int received, long handled, int failed, long duplicates) {
        try {
            runner.pond().put(LAST_HANDLED, Json.object()
                    .put("at", Timestamps.format(runner.clock().instant()))
                    .put("received", received).put("handled", handled).put("failed", failed).put("duplicates", duplicates),
                    Duration.ofDays(30));
        } catch (RuntimeException unreachable) {
            out.info("the last batch could not be noted in the pond: " + unreachable.getMessage());
        }
    }

    /** The runner's line about this message's failure, else a plain "not handled". */
    private String reasonFor(String eventId) {
        synchronized (linesOfThisBatch) {
            for (int i = linesOfThisBatch.size() - 1; i >= 0; i--) {
                String line = linesOfThisBatch.get(i);
                if (!eventId.isEmpty() && line.contains(eventId)) {
                    return line;
                }
            }
        }
        return "not handled: left for redelivery";
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        try {
            return attributes == null ? 1 : Integer.parseInt(attributes.getOrDefault("ApproximateReceiveCount", "1"));
        } catch (NumberFormatException unreadable) {
            return 1;
        }
    }

    public String serviceName() {
        return service;
    }
}
