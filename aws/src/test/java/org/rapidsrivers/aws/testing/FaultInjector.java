package org.rapidsrivers.aws.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/**
 * Understands the faults AWS can hand a client, injected into real calls to a real server: a partial
 * PublishBatch or PutRecords (some entries are taken out of the request, so they really are not
 * published, and reported failed in the response) and throttling (the attempt is sent where it can
 * change nothing, and its answer is turned into a throttling error the SDK retries).
 */
public final class FaultInjector implements ExecutionInterceptor {
    private static final ExecutionAttribute<List<String>> WITHHELD = new ExecutionAttribute<>("rr.withheld");
    private static final ExecutionAttribute<Boolean> THROTTLED = new ExecutionAttribute<>("rr.throttled");

    private final AtomicInteger partialPublishBatches = new AtomicInteger();
    private final AtomicInteger partialPutRecords = new AtomicInteger();
    private final AtomicInteger throttles = new AtomicInteger();
    private volatile String throttledOperation = "";
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    /** The next {@code times} PublishBatch calls lose every other entry, reported as failed. */
    public FaultInjector failHalfOfNextPublishBatches(int times) {
        partialPublishBatches.set(times);
        return this;
    }

    /** The next {@code times} PutRecords calls lose every other entry, reported as failed. */
    public FaultInjector failHalfOfNextPutRecords(int times) {
        partialPutRecords.set(times);
        return this;
    }

    /** The next {@code times} attempts of the operation (e.g. "PublishBatch") are throttled. */
    public FaultInjector throttle(String operation, int times) {
        throttledOperation = operation;
        throttles.set(times);
        return this;
    }

    /** HTTP attempts made per operation, throttled ones included. */
    public int attempts(String operation) {
        return attempts.getOrDefault(operation, new AtomicInteger()).get();
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof PublishBatchRequest batch && batch.publishBatchRequestEntries().size() > 1
                && partialPublishBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            List<PublishBatchRequestEntry> kept = new ArrayList<>();
            List<String> withheld = new ArrayList<>();
            for (int i = 0; i < batch.publishBatchRequestEntries().size(); i++) {
                PublishBatchRequestEntry entry = batch.publishBatchRequestEntries().get(i);
                if (i % 2 == 1) {
                    withheld.add(entry.id());
                } else {
                    kept.add(entry);
                }
            }
            attributes.putAttribute(WITHHELD, withheld);
            return batch.toBuilder().publishBatchRequestEntries(kept).build();
        }
        if (context.request() instanceof PutRecordsRequest put && put.records().size() > 1
                && partialPutRecords.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            List<PutRecordsRequestEntry> kept = new ArrayList<>();
            List<String> withheld = new ArrayList<>();
            for (int i = 0; i < put.records().size(); i++) {
                if (i % 2 == 0) {
                    kept.add(put.records().get(i));
                }
                withheld.add(i % 2 == 1 ? "failed" : "kept");
            }
            attributes.putAttribute(WITHHELD, withheld);
            return put.toBuilder().records(kept).build();
        }
        return context.request();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        List<String> withheld = attributes.getAttribute(WITHHELD);
        if (withheld == null) {
            return context.response();
        }
        if (context.response() instanceof PublishBatchResponse response) {
            List<BatchResultErrorEntry> failed = new ArrayList<>(response.failed());
            withheld.forEach(id -> failed.add(BatchResultErrorEntry.builder()
                    .id(id).code("InternalError").message("injected partial failure").senderFault(false).build()));
            return response.toBuilder().failed(failed).build();
        }
        if (context.response() instanceof PutRecordsResponse response) {
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int real = 0;
            int failures = 0;
            for (String fate : withheld) {
                if (fate.equals("failed")) {
                    results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("injected partial failure").build());
                    failures++;
                } else {
                    results.add(response.records().get(real++));
                }
            }
            return response.toBuilder().records(results).failedRecordCount(failures).build();
        }
        return context.response();
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        attempts.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        boolean throttle = operation.equals(throttledOperation) && throttles.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        attributes.putAttribute(THROTTLED, throttle);
        if (!throttle) {
            return context.httpRequest();
        }
        // to a path the server does not serve: this attempt must change nothing there
        return context.httpRequest().toBuilder().encodedPath("/rr-injected-throttle").build();
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context,
                                                                                   ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(THROTTLED))) {
            return Optional.of(RequestBody.fromString("Action=Nothing"));
        }
        return context.requestBody();
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!Boolean.TRUE.equals(attributes.getAttribute(THROTTLED))) {
            return context.httpResponse();
        }
        return context.httpResponse().toBuilder().statusCode(400).statusText("Bad Request")
                .clearHeaders().putHeader("Content-Type", "text/xml").build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!Boolean.TRUE.equals(attributes.getAttribute(THROTTLED))) {
            return context.responseBody();
        }
        String body = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                + "<Message>Rate exceeded (injected)</Message></Error><RequestId>injected</RequestId></ErrorResponse>";
        return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }
}
