package org.rapidsrivers.hosts.aws;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.StageResources;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.hosts.HostSettings;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Understands a stage whose planes were deployed as Lambdas: on AWS they run there, so hosting them
 * here too would process every record twice; on an emulator that cannot run Java Lambdas, the host
 * runs the same handlers with exactly the deployed functions' settings, read from their event
 * source mappings and checked against what the host would run.
 */
final class DeployedPlanes {
    private DeployedPlanes() {
    }

    /** The settings to host with: the deployed mappings' on an emulated deployed stage, else the given. */
    static HostSettings settingsFor(AwsBackend aws, HostSettings fallback) {
        StageResources stage = new StageResources(aws.stage());
        try (LambdaClient lambda = aws.clients().configured(LambdaClient.builder(), "lambda").build()) {
            Optional<FunctionConfiguration> control = function(lambda, stage.controlFunction());
            Optional<FunctionConfiguration> fanOut = function(lambda, stage.fanOutFunction());
            if (control.isEmpty() || fanOut.isEmpty()) {
                return fallback;
            }
            if (!aws.settings().emulated()) {
                throw new BackendUnavailable("stage " + aws.stage() + " is deployed: its Lambdas run the planes, and"
                        + " hosting them here as well would process every record twice; drop --host-planes");
            }
            require(control.get(), StageResources.controlHandler(), aws);
            require(fanOut.get(), StageResources.fanOutHandler(), aws);
            List<EventSourceMappingConfiguration> mappings = lambda.listEventSourceMappings(b -> b
                    .functionName(stage.fanOutFunction())).eventSourceMappings();
            if (mappings.isEmpty()) {
                return fallback;
            }
            EventSourceMappingConfiguration mapping = mappings.get(0);
            return fallback.asDeployed(mapping.batchSize(),
                    mapping.maximumRetryAttempts() == null ? fallback.maxAttempts() : mapping.maximumRetryAttempts() + 1,
                    Duration.ofSeconds(control.get().timeout()));
        } catch (SdkServiceException unsupported) {
            // an endpoint without Lambda (an emulator of the other services): nothing deployed to follow
            return fallback;
        }
    }

    private static Optional<FunctionConfiguration> function(LambdaClient lambda, String name) {
        try {
            return Optional.of(lambda.getFunction(b -> b.functionName(name)).configuration());
        } catch (ResourceNotFoundException none) {
            return Optional.empty();
        }
    }

    private static void require(FunctionConfiguration function, String handler, AwsBackend aws) {
        String stage = function.environment() == null ? null : function.environment().variables().get("RR_STAGE");
        if (!handler.equals(function.handler()) || !aws.stage().value().equals(stage)) {
            throw new BackendUnavailable("the deployed function " + function.functionName() + " runs " + function.handler()
                    + " for stage " + stage + ", not " + handler + " for stage " + aws.stage() + ": deploy again");
        }
    }
}
