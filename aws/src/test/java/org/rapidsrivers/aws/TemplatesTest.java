package org.rapidsrivers.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.aws.tables.DynamoPond;
import org.rapidsrivers.core.monitor.MonitorPond;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.plane.StreamReading;

/**
 * What the emulator cannot show about the CloudFormation templates, read from the YAML: encryption
 * everywhere with the stage's key, key rotation and a key policy conditioned per service, snapshots,
 * aliases, least-privilege roles, and event source mappings that read as the stage description says.
 */
class TemplatesTest {
    private static final Path CFN = Path.of(System.getProperty("rr.cfn", "../cfn"));
    private final JsonNode infrastructure = read("infrastructure.yaml");
    private final JsonNode planes = read("planes.yaml");

    @Test
    void theKeyRotatesAndEachServiceMayUseItOnlyForThisAccount() {
        JsonNode key = resource(infrastructure, "Key");
        assertThat(key.at("/Properties/EnableKeyRotation").asBoolean()).isTrue();
        List<JsonNode> statements = list(key.at("/Properties/KeyPolicy/Statement"));
        for (JsonNode statement : statements) {
            if (statement.at("/Principal/Service").isMissingNode()) {
                continue;
            }
            JsonNode condition = statement.get("Condition");
            assertThat(condition).as(statement.get("Sid").asText()).isNotNull();
            assertThat(condition.toString()).containsAnyOf("aws:SourceAccount", "kms:EncryptionContext:aws:logs:arn");
        }
        assertThat(statements).extracting(s -> s.at("/Principal/Service").toString())
                .anySatisfy(p -> assertThat(p).contains("sns.amazonaws.com"))
                .anySatisfy(p -> assertThat(p).contains("logs."));
        assertThat(resource(infrastructure, "KeyAlias").at("/Properties/AliasName/Fn::Sub").asText())
                .isEqualTo("alias/rr-${Stage}");
    }

    @Test
    void everythingThatHoldsDataIsEncryptedWithTheStagesKey() {
        for (String stream : List.of("RapidsStream", "ControlStream")) {
            JsonNode encryption = resource(infrastructure, stream).at("/Properties/StreamEncryption");
            assertThat(encryption.get("EncryptionType").asText()).isEqualTo("KMS");
            assertThat(encryption.at("/KeyId/Ref").asText()).isEqualTo("Key");
        }
        assertThat(resource(infrastructure, "RapidsTopic").at("/Properties/KmsMasterKeyId/Ref").asText()).isEqualTo("Key");
        for (String name : List.of("CatalogTable", "PondTable")) {
            JsonNode table = resource(infrastructure, name).get("Properties");
            assertThat(table.at("/SSESpecification/SSEType").asText()).isEqualTo("KMS");
            assertThat(table.at("/SSESpecification/KMSMasterKeyId/Ref").asText()).isEqualTo("Key");
            assertThat(table.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean()).isTrue();
            assertThat(table.at("/DeletionProtectionEnabled").asBoolean()).isTrue();
            assertThat(table.at("/BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        }
        // a pond entry's expiry is DynamoDB's time to live, on the attribute the pond writes
        assertThat(resource(infrastructure, "PondTable").at("/Properties/TimeToLiveSpecification/AttributeName").asText())
                .isEqualTo(DynamoPond.TTL);
        for (String queue : List.of("ControlDeadLetters", "FanOutDeadLetters")) {
            assertThat(resource(infrastructure, queue).at("/Properties/KmsMasterKeyId/Ref").asText()).isEqualTo("Key");
        }
        JsonNode bucket = resource(infrastructure, "ArtifactsBucket").get("Properties");
        assertThat(bucket.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm")
                .asText()).isEqualTo("aws:kms");
        assertThat(bucket.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
        assertThat(bucket.at("/PublicAccessBlockConfiguration").toString()).doesNotContain("false");
        assertThat(resource(infrastructure, "ArtifactsOnlyOverTls").toString()).contains("aws:SecureTransport");
        for (String logs : List.of("ControlLogs", "FanOutLogs")) {
            assertThat(resource(planes, logs).at("/Properties/KmsKeyId").toString()).contains("rr-${Stage}-key-arn");
        }
    }

    @Test
    void theKeyAndTheCatalogOutliveTheirStack() {
        for (String kept : List.of("Key", "CatalogTable", "PondTable")) {
            assertThat(resource(infrastructure, kept).get("DeletionPolicy").asText()).isEqualTo("Retain");
        }
    }

    @Test
    void bothPlanesRunAPublishedVersionWithSnapStartBehindAnAlias() {
        for (String plane : List.of("Control", "FanOut")) {
            JsonNode function = resource(planes, plane + "Function").get("Properties");
            assertThat(function.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
            assertThat(function.at("/Runtime/Ref").asText()).isEqualTo("Runtime");
            assertThat(resource(planes, plane + "Alias").at("/Properties/FunctionVersion/Fn::GetAtt/0").asText())
                    .isEqualTo(plane + "Version");
            assertThat(resource(planes, plane + "Mapping").at("/Properties/FunctionName/Fn::If/1/Ref").asText())
                    .isEqualTo(plane + "Alias");
        }
        assertThat(list(planes.at("/Parameters/Runtime/AllowedValues"))).extracting(JsonNode::asText)
                .containsExactly("java17", "java21");
    }

    @Test
    void theMappingsReadTheStreamsAsTheStageDescriptionSays() {
        StreamReading reading = StageResources.READING;
        assertThat(planes.at("/Parameters/BatchSize/Default").asInt()).isEqualTo(reading.batchSize());
        assertThat(planes.at("/Parameters/MaximumRetryAttempts/Default").asInt()).isEqualTo(reading.maximumRetryAttempts());
        assertThat(planes.at("/Parameters/MaximumRecordAgeInSeconds/Default").asInt())
                .isEqualTo(reading.maximumRecordAgeSeconds());
        assertThat(planes.at("/Parameters/ParallelizationFactor/Default").asInt()).isEqualTo(reading.parallelizationFactor());
        for (String plane : List.of("ControlMapping", "FanOutMapping")) {
            JsonNode mapping = resource(planes, plane).get("Properties");
            assertThat(mapping.at("/BisectBatchOnFunctionError").asBoolean()).isEqualTo(reading.bisectOnError());
            assertThat(mapping.at("/BatchSize/Ref").asText()).isEqualTo("BatchSize");
            assertThat(mapping.at("/MaximumRetryAttempts/Ref").asText()).isEqualTo("MaximumRetryAttempts");
            assertThat(mapping.at("/MaximumRecordAgeInSeconds/Ref").asText()).isEqualTo("MaximumRecordAgeInSeconds");
            assertThat(mapping.at("/ParallelizationFactor/Ref").asText()).isEqualTo("ParallelizationFactor");
            assertThat(list(mapping.get("FunctionResponseTypes"))).extracting(JsonNode::asText)
                    .containsExactly("ReportBatchItemFailures");
            assertThat(mapping.at("/DestinationConfig/OnFailure/Destination").toString()).contains("-dlq-arn");
            assertThat(mapping.at("/StartingPosition").asText()).isEqualTo("TRIM_HORIZON");
        }
        assertThat(resource(planes, "FanOutMapping").at("/Properties/EventSourceArn/Fn::If/0").asText())
                .isEqualTo("PushToFanOut");
    }

    @Test
    void theFunctionsAreWhatTheStageDescriptionNames() {
        StageResources stage = new StageResources(Stage.of("x"));
        assertThat(resource(planes, "ControlFunction").at("/Properties/Handler").asText())
                .isEqualTo(StageResources.controlHandler());
        assertThat(resource(planes, "FanOutFunction").at("/Properties/Handler").asText())
                .isEqualTo(StageResources.fanOutHandler());
        assertThat(resource(planes, "ControlFunction").at("/Properties/FunctionName/Fn::Sub").asText().replace("${Stage}", "x"))
                .isEqualTo(stage.controlFunction());
        assertThat(resource(planes, "FanOutFunction").at("/Properties/FunctionName/Fn::Sub").asText().replace("${Stage}", "x"))
                .isEqualTo(stage.fanOutFunction());
        for (String function : List.of("ControlFunction", "FanOutFunction")) {
            List<String> variables = new ArrayList<>();
            resource(planes, function).at("/Properties/Environment/Variables").fieldNames().forEachRemaining(variables::add);
            assertThat(variables).containsExactlyInAnyOrderElementsOf(stage.environment("arn").keySet());
        }
    }

    @Test
    void everyRoleStatementIsScopedToThisStagesResources() {
        for (String role : List.of("ControlRole", "FanOutRole")) {
            for (JsonNode policy : list(resource(planes, role).at("/Properties/Policies"))) {
                for (JsonNode statement : list(policy.at("/PolicyDocument/Statement"))) {
                    String resource = statement.get("Resource").toString();
                    assertThat(resource).as(role + " " + statement.get("Sid")).doesNotContain("\"*\"")
                            .containsAnyOf("${Stage}", "Logs.Arn");
                    if (statement.get("Action").toString().contains("sqs:CreateQueue")) {
                        assertThat(resource).contains(":rr-${Stage}-*");
                    }
                }
            }
        }
    }

    @Test
    void everyPlaneDeadLetterQueueAndEveryMappingHasAnAlarm() {
        List<String> watchedQueues = new ArrayList<>();
        List<String> watchedFunctions = new ArrayList<>();
        planes.get("Resources").forEach(resource -> {
            if (!"AWS::CloudWatch::Alarm".equals(resource.path("Type").asText())) {
                return;
            }
            JsonNode alarm = resource.get("Properties");
            JsonNode dimension = alarm.at("/Dimensions/0/Value");
            if ("ApproximateNumberOfMessagesVisible".equals(alarm.path("MetricName").asText())) {
                // any message at all: a dead letter is never normal
                assertThat(alarm.path("Threshold").asInt()).isZero();
                assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
                watchedQueues.add(dimension.path("Fn::Sub").asText());
            }
            if ("IteratorAge".equals(alarm.path("MetricName").asText())) {
                assertThat(alarm.at("/Threshold/Ref").asText()).isEqualTo("IteratorAgeAlarmMs");
                watchedFunctions.add(dimension.path("Ref").asText());
            }
            assertThat(alarm.at("/AlarmActions/Fn::If/0").asText()).isEqualTo("HasAlarmTopic");
        });
        Stage stage = Stage.of("x");
        assertThat(watchedQueues).containsExactlyInAnyOrder(stage.controlDeadLetterQueue().replace("-x-", "-${Stage}-"),
                stage.fanOutDeadLetterQueue().replace("-x-", "-${Stage}-"));
        assertThat(watchedFunctions).containsExactlyInAnyOrder("ControlFunction", "FanOutFunction");
    }

    @Test
    void oneAlarmWatchesTheStageWideMetricTheMonitorServiceWrites() {
        List<JsonNode> monitors = new ArrayList<>();
        planes.get("Resources").forEach(resource -> {
            if ("AWS::CloudWatch::Alarm".equals(resource.path("Type").asText())
                    && MonitorPond.BREACHED_METRIC.equals(resource.at("/Properties/MetricName").asText())) {
                monitors.add(resource.get("Properties"));
            }
        });
        assertThat(monitors).hasSize(1);
        JsonNode alarm = monitors.get(0);
        assertThat(alarm.at("/Namespace/Fn::Sub").asText()).isEqualTo(MonitorPond.METRICS_NAMESPACE + "${Stage}");
        // the stage-wide series (the line's empty dimension set): no monitor's name is known when the stack is made
        assertThat(alarm.has("Dimensions")).isFalse();
        assertThat(alarm.path("Threshold").asInt()).isEqualTo(1);
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.at("/AlarmActions/Fn::If/0").asText()).isEqualTo("HasAlarmTopic");
    }

    @Test
    void theFanOutMayReadTheRoutingTableNoteTrafficAndWhyItFailedInTheCatalogAndDoNothingElseThere() {
        List<JsonNode> catalog = new ArrayList<>();
        for (JsonNode policy : list(resource(planes, "FanOutRole").at("/Properties/Policies"))) {
            for (JsonNode statement : list(policy.at("/PolicyDocument/Statement"))) {
                if (statement.get("Resource").toString().contains("catalog-arn")) {
                    catalog.add(statement);
                }
            }
        }
        assertThat(catalog).extracting(statement -> statement.get("Sid").asText() + " " + statement.get("Action"))
                .containsExactly("ReadTheRoutingTable [\"dynamodb:GetItem\"]",
                        "NoteTheTrafficInTheCatalog [\"dynamodb:UpdateItem\"]", "NoteWhyItFailed [\"dynamodb:PutItem\"]");
        // each only on the keys of its own notes (LeastPrivilegeTemplateTest names them)
        assertThat(catalog).allSatisfy(statement -> assertThat(statement.at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys")
                .isArray()).isTrue());
    }

    private static JsonNode resource(JsonNode template, String name) {
        JsonNode resource = template.at("/Resources/" + name);
        assertThat(resource.isMissingNode()).as("resource " + name).isFalse();
        return resource;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static JsonNode read(String name) {
        return CfnTemplates.read(name);
    }

}
