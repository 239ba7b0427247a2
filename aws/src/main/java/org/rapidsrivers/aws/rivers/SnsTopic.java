package org.rapidsrivers.aws.rivers;

import org.rapidsrivers.aws.AwsErrors;

import java.util.Optional;
import org.rapidsrivers.core.BackendUnavailable;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Topic;

/**
 * Understands which SNS topic is the stage's rapids topic: the ARN given (a Lambda gets it from its
 * stack), else found by name once and remembered.
 */
public final class SnsTopic {
    private final SnsClient sns;
    private final String name;
    private final String stage;
    private volatile String arn;

    public SnsTopic(SnsClient sns, String name, String stage, Optional<String> knownArn) {
        this.sns = sns;
        this.name = name;
        this.stage = stage;
        this.arn = knownArn.orElse(null);
    }

    public String arn() {
        String found = arn;
        if (found == null) {
            found = AwsErrors.call("sns:ListTopics", "SNS topic " + name, stage, () -> sns.listTopicsPaginator().topics()
                    .stream().map(Topic::topicArn).filter(a -> a.endsWith(":" + name)).findFirst().orElse(null));
            if (found == null) {
                throw new BackendUnavailable("SNS topic " + name + " does not exist: run make deploy or rr provision"
                        + " for stage " + stage);
            }
            arn = found;
        }
        return found;
    }

    String name() {
        return name;
    }
}
