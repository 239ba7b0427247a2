package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.aws.StageResources;
import org.rapidsrivers.aws.rivers.StageTopics;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.StreamReading;
import org.rapidsrivers.core.testing.MotoExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * rr deploy and rr remove on moto: both stacks created, read back through the AWS APIs for what moto
 * honours, a second deploy a no-op, the original session through the shell with the planes hosted
 * with the deployed mappings' settings, then the stacks removed. Known moto gaps are worked around by
 * the template's Emulated parameter (no published version or alias; the README lists them).
 */
class DeployIT {
    private static final Stage STAGE = Stage.of("dep");

    @TempDir
    Path workDir;

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();

    @Test
    void deployTwiceUseItAndRemoveIt() throws Exception {
        RrProcess.Result first = rr(null, "deploy");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("stack rr-dep-infrastructure: created", "stack rr-dep-planes: created",
                "use it: ./rr --backend aws --stage dep");

        try (AwsBackend aws = AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true))) {
            readBack(aws);
        }

        RrProcess.Result second = rr(null, "deploy");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stdout()).contains("stack rr-dep-infrastructure: unchanged", "stack rr-dep-planes: unchanged",
                ": already there");

        // the archive's retention is the stack's parameter: set by rr deploy, kept by the next, refused to an operator
        RrProcess.Result retained = rr(null, "deploy", "--archive-retention", "30d");
        assertThat(retained.exitCode()).as(retained.stderr()).isZero();
        assertThat(retained.stdout()).contains("stack rr-dep-infrastructure: updated");
        assertThat(rr(null, "deploy").stdout()).contains("stack rr-dep-infrastructure: unchanged");
        RrProcess.Result byOperator = rr(null, "archive", "--retention", "1d");
        assertThat(byOperator.exitCode()).isEqualTo(1);
        assertThat(byOperator.stderr().strip()).isEqualTo("error: on AWS the archive's retention is the stage's stack parameter"
                + " ArchiveRetentionDays, not an operator's to change: rr deploy --archive-retention 1d (as the deploying user) sets it");
        try (AwsBackend aws = AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true));
             CloudFormationClient cloudFormation = aws.clients().configured(CloudFormationClient.builder(), "cloudformation").build()) {
            assertThat(parameter(cloudFormation.describeStacks(b -> b.stackName("rr-dep-infrastructure")).stacks().get(0),
                    "ArchiveRetentionDays")).isEqualTo("30");
        }

        // whoever may write the bucket swaps the code under its name: the next deploy does not trust the name
        try (AwsBackend aws = AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true));
             S3Client s3 = aws.clients().configured(
                     S3Client.builder(), "s3").forcePathStyle(true).build();
             CloudFormationClient cloudFormation = aws.clients().configured(CloudFormationClient.builder(), "cloudformation").build()) {
            var planes = cloudFormation.describeStacks(b -> b.stackName("rr-dep-planes")).stacks().get(0);
            String key = parameter(planes, "ControlCodeKey");
            String bucket = cloudFormation.describeStacks(b -> b.stackName("rr-dep-infrastructure")).stacks().get(0).outputs()
                    .stream().filter(o -> o.outputKey().equals("ArtifactsBucket")).findFirst().orElseThrow().outputValue();
            String checked = parameter(planes, "ControlCodeVersion");
            assertThat(checked).as("moto versions the bucket as the template says").isNotEmpty()
                    .isEqualTo(s3.headObject(b -> b.bucket(bucket).key(key)).versionId());
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("not our code"));

            RrProcess.Result third = rr(null, "deploy");
            assertThat(third.exitCode()).as(third.stderr()).isZero();
            assertThat(third.stdout()).contains("artifact " + key + ": in the bucket with other content (its SHA-256 differs or is"
                    + " unknown): uploaded again", "stack rr-dep-planes: updated");
            var pinned = cloudFormation.describeStacks(b -> b.stackName("rr-dep-planes")).stacks().get(0);
            assertThat(parameter(pinned, "ControlCodeVersion")).as("the version it checked, not the swapped one")
                    .isEqualTo(s3.headObject(b -> b.bucket(bucket).key(key)).versionId());
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(parameter(pinned, "ControlCodeVersion")))
                    .asByteArray().length).isGreaterThan(1_000_000);
        }

        // a stage whose rapids topic is full (a quota of one river a topic, and one river on it): the session's river
        // goes on a topic the control plane makes, the fan-out publishes there from the routing table, the same words
        try (AwsBackend aws = AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true).withTopicQuota(1))) {
            aws.rivers().create(RiverName.of("filler"));
            aws.subscriptions().subscribe(RiverName.of("filler"), Topic.of("Filler"));
        }
        RrProcess.Result session = RrProcess.run(workDir, OriginalSessionIT.SESSION, Map.of("RR_TOPIC_QUOTA", "1"),
                awsArgs("--host-planes"));
        assertThat(session.errors()).isEmpty();
        assertThat(session.normalizedStdout()).isEqualTo(OriginalSessionIT.golden("original-session.txt"));
        try (AwsBackend aws = AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true))) {
            assertThat(aws.topics().all()).extracting(StageTopics.StageTopic::name).containsExactly("Rapids-dep", "Rapids-dep-2");
        }

        RrProcess.Result removed = rr(null, "remove");
        assertThat(removed.exitCode()).as(removed.stderr()).isZero();
        assertThat(removed.stdout()).contains("stack rr-dep-planes: deleted", "sns topic Rapids-dep-2: deleted", "emptied",
                "stack rr-dep-infrastructure: deleted",
                "kept: 2 river(s) the control plane made, with what waits in them (FORCE=1 deletes them)",
                "kept: the key rr-dep, the catalog table Topics-dep and the ponds table Ponds-dep",
                "kept: the archive, bucket rr-dep-archive-");
        try (AwsBackend aws = AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true));
             CloudFormationClient cloudFormation = aws.clients().configured(CloudFormationClient.builder(), "cloudformation").build()) {
            assertThatThrownBy(() -> cloudFormation.describeStacks(b -> b.stackName("rr-dep-planes")))
                    .hasMessageContaining("does not exist");
            assertThat(aws.clients().dynamoDb().describeTable(b -> b.tableName("Topics-dep")).table().tableName())
                    .as("the catalog is kept").isEqualTo("Topics-dep");
            assertThat(aws.clients().sns().listTopics().topics()).noneMatch(t -> t.topicArn().contains(":Rapids-dep"));
        }

        // FORCE=1 (after the stacks went already): the rivers, the tables and the archive go too; nothing of the stage is left
        RrProcess.Result forced = rr(null, "remove", "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(forced.stdout()).contains("rivers the control plane made: 2 deleted, with their dead-letter queues", "dynamodb table Topics-dep: deleted");
        try (AwsBackend aws = AwsBackend.open(AwsSettings.of(STAGE).withEndpoint(moto.endpoint()).asEmulator(true))) {
            assertThat(aws.clients().sqs().listQueues(b -> b.queueNamePrefix("rr-dep-")).queueUrls()).isEmpty();
            assertThat(aws.clients().dynamoDb().listTables().tableNames()).noneMatch(t -> t.endsWith("-dep"));
        }
    }

    private String[] awsArgs(String... args) {
        List<String> all = new ArrayList<>(List.of("--backend", "aws", "--emulator", "--endpoint-url", moto.endpoint().toString(),
                "--stage", STAGE.value()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** What moto honours: encryption attributes, the mappings' settings, the functions' environment, the roles. */
    private static void readBack(AwsBackend aws) {
        String topicArn = aws.clients().sns().listTopics().topics().stream().map(t -> t.topicArn())
                .filter(arn -> arn.endsWith(":Rapids-dep")).findFirst().orElseThrow();
        assertThat(aws.clients().sns().getTopicAttributes(b -> b.topicArn(topicArn)).attributes().get("KmsMasterKeyId"))
                .isNotBlank();
        for (String queue : List.of(STAGE.controlDeadLetterQueue(), STAGE.fanOutDeadLetterQueue())) {
            String url = aws.clients().sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl();
            assertThat(aws.clients().sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("KmsMasterKeyId"))
                    .attributesAsStrings().get("KmsMasterKeyId")).as(queue).isNotBlank();
        }
        StageResources stage = new StageResources(STAGE);
        try (LambdaClient lambda = aws.clients().configured(LambdaClient.builder(), "lambda").build();
             IamClient iam = aws.clients().configured(IamClient.builder(), "iam").build()) {
            for (String function : List.of(stage.controlFunction(), stage.fanOutFunction())) {
                var configuration = lambda.getFunctionConfiguration(b -> b.functionName(function));
                assertThat(configuration.environment().variables()).isEqualTo(stage.environment(topicArn));
                List<EventSourceMappingConfiguration> mappings = lambda.listEventSourceMappings(b -> b.functionName(function))
                        .eventSourceMappings();
                assertThat(mappings).singleElement().satisfies(mapping -> {
                    StreamReading reading = StageResources.READING;
                    assertThat(mapping.batchSize()).isEqualTo(reading.batchSize());
                    assertThat(mapping.maximumRetryAttempts()).isEqualTo(reading.maximumRetryAttempts());
                    assertThat(mapping.maximumRecordAgeInSeconds()).isEqualTo(reading.maximumRecordAgeSeconds());
                    assertThat(mapping.bisectBatchOnFunctionError()).isEqualTo(reading.bisectOnError());
                    assertThat(mapping.parallelizationFactor()).isEqualTo(reading.parallelizationFactor());
                    assertThat(mapping.functionResponseTypesAsStrings()).containsExactly("ReportBatchItemFailures");
                    assertThat(mapping.destinationConfig().onFailure().destination()).endsWith("-dlq");
                });
                String roleName = configuration.role().substring(configuration.role().lastIndexOf('/') + 1);
                List<String> documents = new ArrayList<>();
                for (String policy : iam.listRolePolicies(b -> b.roleName(roleName)).policyNames()) {
                    documents.add(URLDecoder.decode(iam.getRolePolicy(b -> b.roleName(roleName).policyName(policy))
                            .policyDocument(), StandardCharsets.UTF_8));
                }
                assertThat(documents).as(roleName).isNotEmpty().allSatisfy(document -> assertThat(document)
                        .doesNotContain("\"Resource\": \"*\"", "\"Resource\":\"*\"").contains("dep"));
            }
        }
    }

    private static String parameter(Stack stack, String name) {
        return stack.parameters().stream().filter(p -> p.parameterKey().equals(name)).findFirst().orElseThrow().parameterValue();
    }

    private RrProcess.Result rr(String stdin, String... args) {
        return RrProcess.run(workDir, stdin, awsArgs(args));
    }
}
