package org.rapidsrivers.aws.lambda;

import java.util.Map;
import org.rapidsrivers.aws.AwsSettings;

/** Reads a Lambda's settings from an environment given here (tests of other packages). */
public final class LambdaEnvironmentProbe {
    private LambdaEnvironmentProbe() {
    }

    public static AwsSettings settings(Map<String, String> env) {
        return LambdaEnvironment.settings(env);
    }
}
