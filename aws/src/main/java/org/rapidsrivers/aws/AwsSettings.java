package org.rapidsrivers.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.Stage;

/**
 * Understands where a stage lives on AWS: its names, the endpoint (an emulator's, or AWS's from the
 * region) and the services served elsewhere, the region (else the default chain), the HTTP client and
 * the timeouts of every call, and whether the endpoints are an emulator's, which is said (--emulator),
 * never guessed from an endpoint.
 */
public record AwsSettings(Stage stage, String rapidsStream, String controlStream, Optional<URI> endpoint,
                          Map<String, URI> serviceEndpoints, Optional<String> region, HttpClientKind httpClient,
                          Duration callTimeout, Duration attemptTimeout, Optional<String> topicArn, boolean emulator,
                          int topicQuota) {

    /** Understands the HTTP clients the adapters can use. */
    public enum HttpClientKind { URL_CONNECTION, CRT }

    /** SNS's default quota of filter policies on one topic. */
    public static final int DEFAULT_TOPIC_QUOTA = 200;
    static final int MAX_TOPIC_QUOTA = 10_000;

    public AwsSettings {
        serviceEndpoints = Map.copyOf(serviceEndpoints);
        if (topicQuota < 1 || topicQuota > MAX_TOPIC_QUOTA) {
            throw new InvalidInput("topic quota " + topicQuota + " is not allowed: give 1 to " + MAX_TOPIC_QUOTA
                    + " rivers a topic (SNS's default is " + DEFAULT_TOPIC_QUOTA + " filter policies a topic)");
        }
    }

    public static AwsSettings of(Stage stage) {
        return new AwsSettings(stage, stage.rapidsStream(), stage.controlStream(), endpointFromEnvironment(), Map.of(),
                Optional.empty(), HttpClientKind.URL_CONNECTION, Duration.ofSeconds(30), Duration.ofSeconds(25),
                Optional.empty(), false, topicQuotaFrom(System.getenv("RR_TOPIC_QUOTA")));
    }

    public AwsSettings withStreams(String rapids, String control) {
        return new AwsSettings(stage, rapids, control, endpoint, serviceEndpoints, region, httpClient, callTimeout,
                attemptTimeout, topicArn, emulator, topicQuota);
    }

    public AwsSettings withEndpoint(URI uri) {
        return new AwsSettings(stage, rapidsStream, controlStream, Optional.ofNullable(uri), serviceEndpoints, region,
                httpClient, callTimeout, attemptTimeout, topicArn, emulator, topicQuota);
    }

    /** One service ("dynamodb", "sqs"...) served at another endpoint than the rest, as AWS_ENDPOINT_URL_DYNAMODB says. */
    public AwsSettings withServiceEndpoint(String service, URI uri) {
        Map<String, URI> endpoints = new TreeMap<>(serviceEndpoints);
        endpoints.put(service.toLowerCase(Locale.ROOT), uri);
        return new AwsSettings(stage, rapidsStream, controlStream, endpoint, endpoints, region, httpClient, callTimeout,
                attemptTimeout, topicArn, emulator, topicQuota);
    }

    public AwsSettings withTopicArn(String arn) {
        return new AwsSettings(stage, rapidsStream, controlStream, endpoint, serviceEndpoints, region, httpClient,
                callTimeout, attemptTimeout, Optional.ofNullable(arn), emulator, topicQuota);
    }

    public AwsSettings withRegion(String name) {
        return new AwsSettings(stage, rapidsStream, controlStream, endpoint, serviceEndpoints, Optional.ofNullable(name),
                httpClient, callTimeout, attemptTimeout, topicArn, emulator, topicQuota);
    }

    public AwsSettings withHttpClient(HttpClientKind kind) {
        return new AwsSettings(stage, rapidsStream, controlStream, endpoint, serviceEndpoints, region, kind, callTimeout,
                attemptTimeout, topicArn, emulator, topicQuota);
    }

    /** At most this many rivers subscribe to one of the stage's SNS topics before the control plane makes another. */
    public AwsSettings withTopicQuota(int quota) {
        return new AwsSettings(stage, rapidsStream, controlStream, endpoint, serviceEndpoints, region, httpClient,
                callTimeout, attemptTimeout, topicArn, emulator, quota);
    }

    /** RR_TOPIC_QUOTA, the stage's setting (its planes stack gives it to the control plane), else SNS's default 200. */
    public static int topicQuotaFrom(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_TOPIC_QUOTA;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException notANumber) {
            throw new InvalidInput("RR_TOPIC_QUOTA '" + value + "' is not a number: give 1 to " + MAX_TOPIC_QUOTA
                    + " rivers a topic");
        }
    }

    /** The endpoints are an emulator's: what it refuses is left out with one warning. */
    public AwsSettings asEmulator(boolean emulated) {
        return new AwsSettings(stage, rapidsStream, controlStream, endpoint, serviceEndpoints, region, httpClient,
                callTimeout, attemptTimeout, topicArn, emulated, topicQuota);
    }

    /** PublishBatch calls the fan-out keeps in flight: RR_PUBLISH_CONCURRENCY, else 4. */
    public int publishConcurrency() {
        String value = System.getenv("RR_PUBLISH_CONCURRENCY");
        try {
            return value == null || value.isBlank() ? 4 : Math.max(1, Math.min(16, Integer.parseInt(value.strip())));
        } catch (NumberFormatException notANumber) {
            return 4;
        }
    }

    /** AWS_ENDPOINT_URL, the SDK's own variable for an endpoint that serves every service. */
    static Optional<URI> endpointFromEnvironment() {
        return fromEnvironment("AWS_ENDPOINT_URL");
    }

    /**
     * The endpoint of one service ("sqs", "sns", "kinesis", "dynamodb", "kms"): AWS_ENDPOINT_URL_SQS and
     * the like, AWS's convention for a service served elsewhere, else one given for it here, else the
     * endpoint for all of them.
     */
    public Optional<URI> endpointFor(String service) {
        return fromEnvironment("AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT))
                .or(() -> Optional.ofNullable(serviceEndpoints.get(service.toLowerCase(Locale.ROOT))))
                .or(() -> endpoint);
    }

    /** True when the user said the endpoints are an emulator's (--emulator, RR_EMULATOR=1). */
    public boolean emulated() {
        return emulator;
    }

    private static Optional<URI> fromEnvironment(String variable) {
        String url = System.getenv(variable);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(URI.create(url.strip()));
    }
}
