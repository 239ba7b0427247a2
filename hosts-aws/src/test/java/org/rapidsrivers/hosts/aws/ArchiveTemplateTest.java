package org.rapidsrivers.hosts.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.aws.CfnTemplates;
import org.rapidsrivers.core.names.Stage;

/**
 * What no emulator runs of the archive's part of the stage's template (moto's CloudFormation skips the
 * delivery stream and the Glue table), read from the YAML: the delivery stream writes the layout the
 * host's stand-in writes and rr reads, the table reads it, the retention is the lifecycle rule, and the
 * delivery role may do no more than read the rapids and write the archive.
 */
class ArchiveTemplateTest {
    private final JsonNode resources = CfnTemplates.read("infrastructure.yaml").get("Resources");

    @Test
    void theDeliveryStreamReadsTheRapidsAndWritesTheLayoutRrReads() {
        JsonNode delivery = resources.get("ArchiveDelivery").get("Properties");
        assertThat(delivery.get("DeliveryStreamType").asText()).isEqualTo("KinesisStreamAsSource");
        assertThat(delivery.at("/KinesisStreamSourceConfiguration/KinesisStreamARN").toString()).contains("RapidsStream");
        JsonNode s3 = delivery.get("ExtendedS3DestinationConfiguration");
        Instant arrival = Instant.parse("2026-03-07T09:41:00Z");
        String prefix = s3.get("Prefix").asText().replace("!{timestamp:yyyy}", "2026").replace("!{timestamp:MM}", "03")
                .replace("!{timestamp:dd}", "07").replace("!{timestamp:HH}", "09");
        assertThat(prefix).isEqualTo(ArchiveLayout.hourPrefix(arrival));
        assertThat(ArchiveLayout.hourOf(prefix + "any-object")).isEqualTo(Instant.parse("2026-03-07T09:00:00Z"));
        assertThat(s3.at("/ProcessingConfiguration/Processors/0/Type").asText()).as("one event per line").isEqualTo("AppendDelimiterToRecord");
        assertThat(s3.get("CompressionFormat").asText()).isEqualTo("UNCOMPRESSED");
        assertThat(s3.at("/EncryptionConfiguration/KMSEncryptionConfig/AWSKMSKeyARN").toString()).contains("Key");
    }

    @Test
    void theBucketIsNamedAsRrFindsItAndTheRetentionIsItsLifecycleRule() {
        JsonNode bucket = resources.get("ArchiveBucket");
        assertThat(bucket.get("DeletionPolicy").asText()).as("history outlives the stack").isEqualTo("Retain");
        assertThat(bucket.at("/Properties/BucketName/Fn::Sub").asText()
                .replace("${Stage}", "dev").replace("${AWS::AccountId}", "123456789012").replace("${AWS::Region}", "eu-west-1"))
                .isEqualTo(ArchiveLayout.bucket(Stage.of("dev"), "123456789012", "eu-west-1"));
        JsonNode rule = bucket.at("/Properties/LifecycleConfiguration/Rules/0");
        assertThat(rule.get("Prefix").asText()).isEqualTo(ArchiveLayout.EVENTS);
        assertThat(rule.get("ExpirationInDays").toString()).contains("ArchiveRetentionDays");
        assertThat(bucket.at("/Properties/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm")
                .asText()).isEqualTo("aws:kms");
    }

    @Test
    void theTableProjectsTheHourPartitionsTheStreamWrites() {
        JsonNode table = resources.get("ArchiveTable").at("/Properties/TableInput");
        List<String> partitions = new ArrayList<>();
        table.get("PartitionKeys").forEach(key -> partitions.add(key.get("Name").asText()));
        assertThat(partitions).containsExactly("year", "month", "day", "hour");
        String template = table.at("/Parameters/storage.location.template/Fn::Sub").asText();
        assertThat(template).endsWith("/events/year=${!year}/month=${!month}/day=${!day}/hour=${!hour}/");
        assertThat(table.at("/Parameters/projection.enabled").asText()).isEqualTo("true");
        assertThat(table.at("/Parameters/projection.hour.digits").asText()).isEqualTo("2");
    }

    @Test
    void theDeliveryRoleReadsTheRapidsAndWritesTheArchiveAndNothingElse() {
        JsonNode statements = resources.get("ArchiveDeliveryRole").at("/Properties/Policies/0/PolicyDocument/Statement");
        List<String> actions = new ArrayList<>();
        statements.forEach(statement -> statement.get("Action").forEach(action -> actions.add(action.asText())));
        assertThat(actions).allMatch(action -> !action.contains("*")).noneMatch(action -> action.startsWith("s3:Delete"))
                .noneMatch(action -> action.equals("s3:GetObject"));
        statements.forEach(statement -> assertThat(statement.get("Resource").toString()).doesNotContain("\"*\""));
        JsonNode kms = statements.get(2);
        assertThat(kms.at("/Condition/StringEquals/kms:ViaService").toString()).contains("kinesis.").contains("s3.");
        assertThat(resources.get("ArchiveDeliveryRole").at("/Properties/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText())
                .isEqualTo("firehose.amazonaws.com");
    }

    /**
     * Issue 27, medium 2: whoever operates the stage, what was archived stays until the retention. The bucket's
     * policy lets only the delivery role write events/ and errors/, lets nobody delete there, and lets the
     * lifecycle rule (the retention) change only through CloudFormation, by the stack's parameter.
     */
    @Test
    void theBucketsPolicyKeepsTheHistoryFromEveryoneButTheDeliveryStreamAndTheStack() {
        Map<String, JsonNode> bySid = new TreeMap<>();
        resources.get("ArchiveOnlyOverTls").at("/Properties/PolicyDocument/Statement").forEach(s -> bySid.put(s.get("Sid").asText(), s));
        assertThat(bySid.values()).allSatisfy(s -> {
            assertThat(s.get("Effect").asText()).isEqualTo("Deny");
            assertThat(s.get("Principal").asText()).isEqualTo("*");
        });
        JsonNode writes = bySid.get("OnlyTheDeliveryStreamWritesTheArchive");
        assertThat(writes.get("Action").asText()).isEqualTo("s3:PutObject");
        assertThat(writes.get("Resource").toString()).contains("/events/*", "/errors/*").doesNotContain("replays");
        assertThat(writes.at("/Condition/ArnNotEquals/aws:PrincipalArn/Fn::GetAtt/0").asText()).isEqualTo("ArchiveDeliveryRole");
        JsonNode deletes = bySid.get("NobodyDeletesWhatWasArchived");
        assertThat(deletes.get("Action").toString()).contains("s3:DeleteObject", "s3:DeleteObjectVersion");
        assertThat(deletes.has("Condition")).as("whoever asks").isFalse();
        JsonNode lifecycle = bySid.get("TheRetentionIsTheStacks");
        assertThat(lifecycle.get("Action").asText()).isEqualTo("s3:PutLifecycleConfiguration");
        assertThat(lifecycle.at("/Condition/ForAllValues:StringNotEquals/aws:CalledVia").asText()).isEqualTo("cloudformation.amazonaws.com");
        assertThat(bySid).containsKey("DenyWithoutTls");
    }
}
