package org.rapidsrivers.aws;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.rapidsrivers.core.BackendUnavailable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Understands the AWS failures a user meets and says each in one line that tells what to do: a
 * resource that is missing, access denied (which action on which resource), throttling that outlasted
 * the retries, an endpoint that does not answer, no credentials. Anything else is left as it is.
 */
public final class AwsErrors {
    private AwsErrors() {
    }

    /** Runs a call; an AWS failure comes out as a {@link BackendUnavailable} naming {@code action} on {@code resource}. */
    public static <T> T call(String action, String resource, String stage, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(e, action, resource, stage);
        }
    }

    public static RuntimeException translate(SdkException e, String action, String resource, String stage) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? "" : nullToEmpty(service.awsErrorDetails().errorCode());
            String message = service.awsErrorDetails() == null ? "" : nullToEmpty(service.awsErrorDetails().errorMessage());
            if (isMissing(code)) {
                return new BackendUnavailable(resource + " does not exist: run make deploy or rr provision for stage "
                        + stage, e);
            }
            if (service.statusCode() == 403 || code.toLowerCase(Locale.ROOT).contains("accessdenied")
                    || code.equals("AuthorizationError") || code.equals("AccessDenied")) {
                return new BackendUnavailable("access denied: " + action + " on " + resource
                        + (message.isEmpty() ? "" : " (" + message + ")"), e);
            }
            if (service.isThrottlingException()) {
                return new BackendUnavailable("throttled by AWS: " + action + " on " + resource
                        + " was still throttled after the SDK's retries; try again later", e);
            }
            if (code.equals("UnrecognizedClientException") || code.equals("InvalidClientTokenId")
                    || code.equals("InvalidAccessKeyId") || code.equals("ExpiredToken") || code.equals("ExpiredTokenException")) {
                return new BackendUnavailable("AWS does not accept these credentials (" + code
                        + "): check AWS_PROFILE or your access keys", e);
            }
            return e;
        }
        if (e instanceof SdkClientException client) {
            String text = nullToEmpty(client.getMessage());
            if (text.contains("Unable to load credentials") || text.contains("Unable to load AWS credentials")) {
                return new BackendUnavailable("no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID and"
                        + " AWS_SECRET_ACCESS_KEY, or run aws configure", e);
            }
            if (causedBy(client, UnknownHostException.class)) {
                return new BackendUnavailable("cannot resolve the AWS endpoint for " + action
                        + " (unknown region, or no network?): " + rootMessage(client), e);
            }
            if (causedBy(client, ConnectException.class) || text.contains("Connection refused")) {
                return new BackendUnavailable("cannot reach the endpoint for " + action + ": connection refused"
                        + " (is the emulator running? make emulator starts one)", e);
            }
            if (text.contains("timed out") || text.contains("Timeout")) {
                return new BackendUnavailable("the endpoint did not answer " + action + " on " + resource + " in time", e);
            }
        }
        return e;
    }

    /**
     * An AWS failure nobody expected, in one line: the service, the operation, the resource, what AWS
     * (or the emulator) answered, and what to do; empty when the failure is not an AWS one.
     */
    public static Optional<String> oneLine(Throwable failure) {
        SdkException sdk = null;
        for (Throwable cause = failure; cause != null && sdk == null; cause = cause.getCause()) {
            if (cause instanceof SdkException found) {
                sdk = found;
            }
        }
        if (sdk == null) {
            return Optional.empty();
        }
        String call = AwsCallNames.call(sdk).map(c -> c.getMessage()).orElse("a call");
        if (sdk instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? "" : nullToEmpty(service.awsErrorDetails().errorCode());
            String message = service.awsErrorDetails() == null ? "" : firstLine(service.awsErrorDetails().errorMessage());
            String answer = "HTTP " + status + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message);
            String todo = status >= 500
                    ? "the service failed: try again; if it keeps failing on an emulator, the emulator may not support"
                            + " this call (the README lists what each one does not do)"
                    : "AWS refused the request: fix what it names, or run with --debug for the whole answer";
            return Optional.of("AWS " + call + " failed with " + answer + "; " + todo);
        }
        return Optional.of("AWS " + call + " failed: " + firstLine(rootMessage(sdk)) + "; check the network and the"
                + " endpoint, or run with --debug");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    static boolean isMissing(String code) {
        return code.equals("ResourceNotFoundException") || code.equals("NotFound") || code.equals("NotFoundException")
                || code.equals("AWS.SimpleQueueService.NonExistentQueue") || code.equals("QueueDoesNotExist");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return nullToEmpty(root.getMessage());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
