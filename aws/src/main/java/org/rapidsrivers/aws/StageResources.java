package org.rapidsrivers.aws;

import java.util.Map;
import org.rapidsrivers.core.names.Stage;

/**
 * Understands, in one place, what a stage is made of on AWS beyond its names (which {@link Stage}
 * gives): the planes' functions and handlers, the environment they get, how their event source
 * mappings read the streams, and the stacks that hold it all. The CloudFormation templates, the
 * local Kinesis host and the tests that check the templates all take their values from here.
 */
public record StageResources(Stage stage) {
    /**
     * How both planes read their stream: batches of 100 (Lambda's default, and what a host killed
     * mid-batch may publish again), failures reported per record, a failing batch halved down to the
     * failing record, 2 retries (3 attempts in all) within an hour, then the plane's on-failure queue.
     */
    public static final StreamReading READING = new StreamReading(100, 2, true, 3600, 1);

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
        return "org.rapidsrivers.control.ControlPlaneHandler::handleRequest";
    }

    public static String fanOutHandler() {
        return "org.rapidsrivers.data.FanOutHandler::handleRequest";
    }

    /** What both planes' functions find in their environment (see {@link LambdaEnvironment}). */
    public Map<String, String> environment(String topicArn) {
        return Map.of("RR_STAGE", stage.value(), "RR_TOPIC_ARN", topicArn);
    }

    /** Understands how a plane reads its stream, as an event source mapping's settings say it. */
    public record StreamReading(int batchSize, int maximumRetryAttempts, boolean bisectOnError,
                                int maximumRecordAgeSeconds, int parallelizationFactor) {
        /** Attempts in all: the first and the retries. */
        public int attempts() {
            return maximumRetryAttempts + 1;
        }
    }
}
