package org.rapidsrivers.aws.lambda;

import org.rapidsrivers.aws.AwsSettings;

import java.util.Map;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.names.Stage;

/**
 * Understands the settings a plane's Lambda gets from its stack as environment variables: RR_STAGE,
 * and optionally RR_RAPIDS_STREAM, RR_CONTROL_STREAM, RR_TOPIC_ARN (saves a ListTopics at start) and
 * RR_TOPIC_QUOTA (rivers a topic before the control plane makes another, 200).
 * The region comes from AWS_REGION, which Lambda sets.
 */
public final class LambdaEnvironment {
    private LambdaEnvironment() {
    }

    public static AwsSettings settings() {
        return settings(System.getenv());
    }

    static AwsSettings settings(Map<String, String> env) {
        String stageName = env.get("RR_STAGE");
        if (stageName == null || stageName.isBlank()) {
            throw new BackendUnavailable("RR_STAGE is not set: the plane does not know its stage");
        }
        Stage stage = Stage.of(stageName.strip());
        AwsSettings settings = AwsSettings.of(stage).withStreams(
                env.getOrDefault("RR_RAPIDS_STREAM", stage.rapidsStream()),
                env.getOrDefault("RR_CONTROL_STREAM", stage.controlStream()));
        if (env.containsKey("RR_TOPIC_ARN")) {
            settings = settings.withTopicArn(env.get("RR_TOPIC_ARN"));
        }
        settings = settings.withTopicQuota(AwsSettings.topicQuotaFrom(env.get("RR_TOPIC_QUOTA")));
        if ("crt".equalsIgnoreCase(env.get("RR_HTTP_CLIENT"))) {
            settings = settings.withHttpClient(AwsSettings.HttpClientKind.CRT);
        }
        return settings;
    }
}
