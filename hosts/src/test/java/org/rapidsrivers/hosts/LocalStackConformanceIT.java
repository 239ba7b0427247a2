package org.rapidsrivers.hosts;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The conformance suite on LocalStack through Testcontainers. It needs a Docker engine and, since
 * LocalStack's image requires one, LOCALSTACK_AUTH_TOKEN; without either JUnit reports it skipped with
 * that reason. It compiles and is run (as a skip) in every build, so it cannot rot.
 */
@Testcontainers(disabledWithoutDocker = true)
@EnabledIfEnvironmentVariable(named = "LOCALSTACK_AUTH_TOKEN", matches = ".+",
        disabledReason = "LOCALSTACK_AUTH_TOKEN is not set; LocalStack's image needs it")
class LocalStackConformanceIT extends AwsConformance {
    private static LocalStackContainer localstack;

    @BeforeAll
    static void start() {
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
    }
}
