package org.rapidsrivers.hosts;

import org.rapidsrivers.core.testing.Needed;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.testing.MotoServer;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The conformance suite on LocalStack. make test and make test-localstack start LocalStack's own runtime
 * without Docker and name it in RR_LOCALSTACK_URL; DynamoDB then comes from a moto this class starts,
 * since LocalStack would run DynamoDB Local, whose licence is not an open-source one. Without it, on a
 * machine with Docker and LOCALSTACK_AUTH_TOKEN, LocalStack's image through Testcontainers; with
 * neither, JUnit reports every test skipped and says why.
 */
class LocalStackConformanceIT extends AwsConformance {
    private static LocalStackContainer localstack;
    private static MotoServer dynamo;

    @BeforeAll
    static void start() {
        String runtime = System.getenv("RR_LOCALSTACK_URL");
        if (runtime != null && !runtime.isBlank()) {
            dynamo = MotoServer.start();
            openStage(AwsSettings.of(Stage.of("conformance")).withEndpoint(URI.create(runtime.strip()))
                    .withServiceEndpoint("dynamodb", dynamo.endpoint()).asEmulator(true));
            return;
        }
        Needed.assume(System.getenv("LOCALSTACK_AUTH_TOKEN") != null,
                "RR_LOCALSTACK_URL is not set (make test-localstack sets it) and LOCALSTACK_AUTH_TOKEN is not set"
                        + " (LocalStack's image needs it)");
        Needed.assume(DockerClientFactory.instance().isDockerAvailable(),
                "RR_LOCALSTACK_URL is not set (make test-localstack sets it) and there is no Docker engine for LocalStack's image");
        localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4"))
                .withServices(LocalStackContainer.Service.KINESIS, LocalStackContainer.Service.SNS,
                        LocalStackContainer.Service.SQS, LocalStackContainer.Service.DYNAMODB,
                        LocalStackContainer.Service.KMS)
                .withEnv("LOCALSTACK_AUTH_TOKEN", System.getenv("LOCALSTACK_AUTH_TOKEN"));
        localstack.start();
        openStage(localstack.getEndpoint(), "conformance");
    }

    @AfterAll
    static void stop() {
        closeStage();
        if (localstack != null) {
            localstack.stop();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }
}
