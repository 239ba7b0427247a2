package org.rapidsrivers.aws;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Understands which call a failure came from: every client carries this interceptor, which names the
 * service, the operation and the resource (the request's queue, topic, stream, table, key, stack or
 * bucket) on the exception it fails with, so an error nobody expected can still be said in one line.
 */
final class AwsCallNames implements ExecutionInterceptor {
    /** The request fields that name what a call works on, most telling first. */
    private static final List<String> RESOURCE_FIELDS = List.of("QueueUrl", "QueueName", "TopicArn", "TargetArn",
            "SubscriptionArn", "StreamName", "StreamARN", "TableName", "KeyId", "AliasName", "StackName", "Bucket",
            "FunctionName", "UUID", "Name");

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (service != null && operation != null && call(failure).isEmpty()) {
            failure.addSuppressed(new Call(service, operation, resource(context.request())));
        }
        return failure;
    }

    /** The call a failure came from, when a client with this interceptor made it. */
    static Optional<Call> call(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed instanceof Call call) {
                    return Optional.of(call);
                }
            }
        }
        return Optional.empty();
    }

    private static String resource(SdkRequest request) {
        for (String name : RESOURCE_FIELDS) {
            for (SdkField<?> field : request.sdkFields()) {
                if (field.memberName().equals(name)) {
                    Object value = field.getValueOrDefault(request);
                    if (value instanceof String text && !text.isBlank()) {
                        return text;
                    }
                }
            }
        }
        return "";
    }

    /** Understands one call: service, operation and what it worked on (empty when the request names nothing). */
    static final class Call extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String service;
        final String operation;
        final String resource;

        Call(String service, String operation, String resource) {
            super(service + " " + operation + (resource.isEmpty() ? "" : " on " + resource), null, false, false);
            this.service = service;
            this.operation = operation;
            this.resource = resource;
        }
    }
}
