package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.aws.StageResources;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.testing.MotoExtension;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * rr deploy --service and rr remove --service on moto, through the real ./rr: what a service consumes is
 * fixed in its stack (the river's filter policy), its mapping is made disabled on the emulator with the
 * knobs given, what it publishes is advertised; one service whose stack fails leaves the others as they
 * were; a removed service takes its river and subscription with it; and every bad input is one line.
 */
class DeployServicesIT {
    private static final Stage STAGE = Stage.of("sdp");
    private static final Path OFFERS_JAR = offersJar();

    @TempDir
    Path workDir;

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();

    @Test
    void servicesGoOnADeployedStageAStackEachAndComeOffOneByOne() {
        RrProcess.Result early = rr("deploy", "--service", "brand", "--jar", OFFERS_JAR.toString());
        assertThat(early.exitCode()).isEqualTo(1);
        assertThat(early.stderr()).contains("stage sdp is not deployed: deploy it first (make deploy STAGE=sdp)");

        assertThat(rr("deploy").exitCode()).isZero();
        RrProcess.Result deployed = rr("deploy", "--service", "brand,offer-engine", "--jar", OFFERS_JAR.toString(),
                "--batch-size", "4", "--max-concurrency", "3", "--visibility", "90");
        assertThat(deployed.exitCode()).as(deployed.stderr()).isZero();
        assertThat(deployed.stdout()).contains("stack rr-sdp-service-brand: created (service brand consumes [Segment, ViewPage],"
                + " publishes [Offer])", "stack rr-sdp-service-offer-engine: created");

        StageResources stage = new StageResources(STAGE);
        try (AwsBackend aws = aws(); LambdaClient lambda = aws.clients().configured(LambdaClient.builder(), "lambda").build()) {
            var function = lambda.getFunctionConfiguration(b -> b.functionName(stage.serviceFunction("brand")));
            assertThat(function.handler()).isEqualTo(StageResources.serviceHandler());
            assertThat(function.environment().variables()).containsEntry("RR_SERVICE", "brand").containsEntry("RR_STAGE", "sdp");
            assertThat(lambda.listEventSourceMappings(b -> b.functionName(stage.serviceFunction("brand"))).eventSourceMappings())
                    .singleElement().satisfies(mapping -> {
                        assertThat(mapping.state()).as("disabled on the emulator, which would receive itself").isEqualTo("Disabled");
                        assertThat(mapping.batchSize()).isEqualTo(4);
                        assertThat(mapping.scalingConfig().maximumConcurrency()).isEqualTo(3);
                        assertThat(mapping.functionResponseTypesAsStrings()).containsExactly("ReportBatchItemFailures");
                    });
            RiverName brand = RiverName.of("brand");
            assertThat(aws.subscriptions().topicsOf(brand)).containsExactly(Topic.of("Segment"), Topic.of("ViewPage"));
            // its rules filter Segment by content (requireValue segment=RoadWarrior): the stack's policy says so too
            assertThat(aws.subscriptions().policyOf(brand).describe(Topic.of("Segment"))).isEqualTo("Segment where segment=RoadWarrior");
            try (CloudFormationClient cloudFormation = aws.clients().configured(CloudFormationClient.builder(), "cloudformation").build()) {
                assertThat(cloudFormation.describeStacks(b -> b.stackName("rr-sdp-service-brand")).stacks().get(0).parameters())
                        .filteredOn(p -> p.parameterKey().equals("BodyFilterPolicy")).singleElement()
                        .satisfies(p -> assertThat(p.parameterValue()).isEqualTo(aws.subscriptions().filterPolicyOf(brand).orElseThrow()));
            }
            String url = aws.clients().sqs().getQueueUrl(b -> b.queueName(STAGE.riverQueue(brand))).queueUrl();
            assertThat(aws.clients().sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("VisibilityTimeout",
                    "KmsMasterKeyId")).attributesAsStrings()).containsEntry("VisibilityTimeout", "90").containsKey("KmsMasterKeyId");
            assertThat(aws.catalog().topics()).contains(Topic.of("Offer"), Topic.of("OfferBundle"), Topic.of("OfferBundleAmended"));
        }

        // a deployed service's river is its stack's: a subscribe naming it, or the service run as a process meanwhile,
        // is rejected at once in one line naming the stack, and nothing waits in the control plane's dead letters
        RrProcess.Result intrude = RrProcess.run(workDir, null, args("--host-planes", "subscribe", "brand", "Offer"));
        assertThat(intrude.exitCode()).as(intrude.stdout() + intrude.stderr()).isEqualTo(1);
        assertThat(intrude.stderr().lines().filter(l -> l.startsWith("error:")).toList()).singleElement().satisfies(line ->
                assertThat(line).contains("river 'brand' belongs to the stack rr-sdp-service-brand, not to the control plane"));
        RrProcess.Result asProcess = RrProcess.run(workDir, null, args("--host-planes", "service", "brand"));
        assertThat(asProcess.exitCode()).as(asProcess.stdout() + asProcess.stderr()).isEqualTo(1);
        assertThat(asProcess.stderr()).contains("service brand cannot start: subscribe brand ", "was rejected: river 'brand'"
                + " belongs to the stack rr-sdp-service-brand").doesNotContain("no answer from the control plane");
        RrProcess.Result delete = RrProcess.run(workDir, null, args("--host-planes", "river", "delete", "brand"));
        assertThat(delete.exitCode()).as(delete.stdout() + delete.stderr()).isEqualTo(1);
        assertThat(delete.stderr()).contains("river 'brand' belongs to the stack rr-sdp-service-brand, not to the control plane:"
                + " rr remove --service brand removes it with its stack");
        try (AwsBackend aws = aws()) {
            assertThat(aws.rivers().exists(RiverName.of("brand"))).isTrue();
            assertThat(aws.subscriptions().topicsOf(RiverName.of("brand"))).containsExactly(Topic.of("Segment"), Topic.of("ViewPage"));
            assertThat(aws.operations().planeDeadLetterCount(Plane.CONTROL)).isZero();
        }

        // a river the control plane made (a service once run as a process) is not the stack's: refused, nothing changed
        RrProcess.Result subscribed = RrProcess.run(workDir, "subscribe location ViewPage\n", args("--host-planes"));
        assertThat(subscribed.stdout()).contains("subscribed location to ViewPage");
        RrProcess.Result clash = rr("deploy", "--service", "location", "--jar", OFFERS_JAR.toString());
        assertThat(clash.exitCode()).isEqualTo(1);
        assertThat(clash.stderr()).contains("error: service location cannot be deployed: its river rr-sdp-location exists already,"
                + " made by the control plane");
        try (AwsBackend aws = aws();
             CloudFormationClient cloudFormation = aws.clients().configured(CloudFormationClient.builder(), "cloudformation").build()) {
            assertThat(cloudFormation.listStacks().stackSummaries()).noneMatch(s -> s.stackName().equals("rr-sdp-service-location")
                    && !s.stackStatusAsString().equals("DELETE_COMPLETE"));
            for (String other : List.of("rr-sdp-service-brand", "rr-sdp-service-offer-engine", "rr-sdp-planes", "rr-sdp-infrastructure")) {
                assertThat(cloudFormation.describeStacks(b -> b.stackName(other)).stacks().get(0).stackStatusAsString())
                        .as(other).endsWith("_COMPLETE").doesNotContain("ROLLBACK").doesNotContain("DELETE");
            }
        }

        RrProcess.Result removed = rr("remove", "--service", "brand");
        assertThat(removed.exitCode()).as(removed.stderr()).isZero();
        assertThat(removed.stdout()).contains("stack rr-sdp-service-brand: deleted");
        try (AwsBackend aws = aws()) {
            assertThat(aws.rivers().exists(RiverName.of("brand"))).as("the river goes with its stack").isFalse();
            assertThat(aws.rivers().exists(RiverName.of("offer-engine"))).isTrue();
        }
        assertThat(rr("remove", "--service", "brand").stdout()).contains("stack rr-sdp-service-brand: not there");

        RrProcess.Result all = rr("remove", "--force");
        assertThat(all.exitCode()).as(all.stderr()).isZero();
        assertThat(all.stdout()).contains("stack rr-sdp-service-offer-engine: deleted", "stack rr-sdp-planes: deleted");
    }

    @Test
    void badInputIsOneLineNamingWhatIsAllowed() {
        String jar = OFFERS_JAR.toString();
        expectError(rr("deploy", "--service", "a_b", "--jar", jar), "cannot deploy service 'a_b': a deployed service's name is 1-40"
                + " letters, digits or hyphens");
        expectError(rr("deploy", "--service", "brand"), "--service needs --jar <jar>");
        expectError(rr("deploy", "--jar", jar), "--jar names the jar of services to deploy: say which with --service <name>");
        expectError(rr("deploy", "--service", "brand", "--jar", jar, "--batch-size", "11"), "--batch-size must be between 1 and 10");
        expectError(rr("deploy", "--service", "brand", "--jar", jar, "--max-concurrency", "1"),
                "--max-concurrency must be between 2 and 1000");
        expectError(rr("deploy", "--service", "brand", "--jar", jar, "--timeout", "60", "--visibility", "30"),
                "--visibility (30 s) must be at least --timeout (60 s)");
        expectError(rr("deploy", "--service", "nosuch", "--jar", jar), "unknown service 'nosuch': the services in " + jar
                + " are brand, location, membership, offer-engine, segmentation");
        expectError(rr("deploy", "--service", "brand", "--jar", workDir.resolve("none.jar").toString()), "no jar at ");
        expectError(rr("remove", "--service", "brand", "--force"), "--force applies to the whole stage");
    }

    private static void expectError(RrProcess.Result result, String text) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isNotZero();
        assertThat(result.stderr()).contains(text);
        assertThat(result.stderr().strip().lines().filter(l -> l.startsWith("error:")).count()).isEqualTo(1);
    }

    private AwsBackend aws() {
        return AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true));
    }

    private RrProcess.Result rr(String... rest) {
        return RrProcess.run(workDir, null, args(rest));
    }

    private static String[] args(String... rest) {
        List<String> all = new ArrayList<>(List.of("--backend", "aws", "--emulator", "--endpoint-url", moto.endpoint().toString(),
                "--stage", STAGE.value()));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static Path offersJar() {
        Path target = Path.of("../../scenario-offers/target").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("scenario-offers-.*\\d(-SNAPSHOT)?\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no scenario-offers jar in " + target + ": mvn install first"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
