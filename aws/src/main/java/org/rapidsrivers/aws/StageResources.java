package org.rapidsrivers.aws;

import org.rapidsrivers.core.plane.StreamReading;

import java.util.Map;
import org.rapidsrivers.core.names.Stage;

/**
 * Understands, in one place, what a stage is made of on AWS beyond its names (which {@link Stage}
 * gives): the planes' functions and handlers, the environment they get, how their event source
 * mappings read the streams, and the stacks that hold it all. The CloudFormation templates, the
 * local Kinesis host and the tests that check the templates all take their values from here.
 */
public record StageResources(Stage stage) {
    /** How both planes read their stream ({@link StreamReading#PLANES}), which the templates' defaults hold. */
    public static final StreamReading READING = StreamReading.PLANES;

    public String controlFunction() {
        return "rr-" + stage.value() + "-control";
    }

    public String fanOutFunction() {
        return "rr-" + stage.value() + "-fanout";
    }

    public String infrastructureStack() {
        return "rr-" + stage.value() + "-infrastructure";
    }

    public String planesStack() {
        return "rr-" + stage.value() + "-planes";
    }

    /** A deployed service's function: {@code rr-<stage>-s-<service>}, so no service name meets a plane's. */
    public String serviceFunction(String service) {
        return serviceFunctionPrefix() + service;
    }

    /** What every deployed service function of this stage is named with, and nothing else is. */
    public String serviceFunctionPrefix() {
        return "rr-" + stage.value() + "-s-";
    }

    /** A deployed service's stack: its river, subscription, function, mapping, role, logs and alarm. */
    public String serviceStack(String service) {
        return serviceStackPrefix() + service;
    }

    public String serviceStackPrefix() {
        return "rr-" + stage.value() + "-service-";
    }

    /** The handler every service function runs; RR_SERVICE says which service. */
    public static String serviceHandler() {
        return "org.rapidsrivers.function.ServiceFunction::handleRequest";
    }

    /**
     * A service name that can be deployed: it names the stack (letters, digits, hyphens) and the function
     * (at most 64 characters with the stage's prefix), so 1-40 letters, digits or hyphens.
     */
    public static boolean deployable(String service) {
        return service != null && service.matches("[A-Za-z0-9][A-Za-z0-9-]{0,39}");
    }

    public static String controlHandler() {
        return "org.rapidsrivers.control.lambda.ControlPlaneHandler::handleRequest";
    }

    public static String fanOutHandler() {
        return "org.rapidsrivers.data.lambda.FanOutHandler::handleRequest";
    }

    /** What both planes' functions find in their environment (see {@link LambdaEnvironment}), the quota at its default. */
    public Map<String, String> environment(String topicArn) {
        return Map.of("RR_STAGE", stage.value(), "RR_TOPIC_ARN", topicArn,
                "RR_TOPIC_QUOTA", Integer.toString(AwsSettings.DEFAULT_TOPIC_QUOTA));
    }
}
