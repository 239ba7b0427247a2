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

/**
 * The operator's policy (cfn/operator.yaml, docs/security.md) as template text: it may use the stage, and
 * never write what would let an operator act as the control plane or widen anyone's rights.
 */
class OperatorTemplateTest {
    private static final Path CFN = Path.of(System.getProperty("rr.cfn", "../cfn"));
    private final List<JsonNode> statements = statements();

    @Test
    void anOperatorCannotForgeAnOutcomeChangeAPolicyOrSubscribeAnything() {
        List<String> actions = new ArrayList<>();
        statements.forEach(s -> s.get("Action").forEach(a -> actions.add(a.asText())));
        assertThat(actions).contains("kinesis:PutRecord", "sqs:ReceiveMessage", "sqs:StartMessageMoveTask", "dynamodb:GetItem")
                .noneMatch(a -> a.matches("dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|DeleteTable|UpdateTable)"))
                .noneMatch(a -> a.matches("sns:(Subscribe|SetTopicAttributes|SetSubscriptionAttributes|Publish|Unsubscribe)"))
                .noneMatch(a -> a.matches("sqs:(SetQueueAttributes|CreateQueue|DeleteQueue|TagQueue|AddPermission)"))
                .noneMatch(a -> a.startsWith("iam:") || a.endsWith(":*") || a.startsWith("kms:Create") || a.startsWith("kms:Put"))
                .noneMatch(a -> a.matches("s3:(DeleteObject.*|DeleteBucket.*|PutBucketPolicy|PutBucketAcl|PutObjectAcl)"))
                // the archive's retention is the stage's stack parameter: no operator (or service) expires the history
                .noneMatch(a -> a.matches("s3:(PutLifecycleConfiguration|PutBucketVersioning|PutObjectRetention|BypassGovernanceRetention)"));
    }

    @Test
    void anOperatorReadsTheArchiveAndWritesOnlyReplayNotes() {
        for (JsonNode statement : statements) {
            if (statement.get("Action").toString().contains("s3:PutObject")) {
                assertThat(statement.get("Resource").toString()).as("the archive's events are written by the delivery stream only")
                        .contains("/replays/*").doesNotContain("events");
            }
        }
        assertThat(statements).anySatisfy(statement -> assertThat(statement.get("Action").toString()).contains("s3:GetObject"));
    }

    @Test
    void everyResourceIsTheStagesExceptFindingTheTopicByName() {
        for (JsonNode statement : statements) {
            String resource = statement.get("Resource").toString();
            if (statement.get("Sid").asText().equals("FindTheTopic")) {
                assertThat(statement.get("Action").toString()).isEqualTo("[\"sns:ListTopics\"]");
                continue;
            }
            assertThat(resource).as(statement.get("Sid").asText()).doesNotContain("\"*\"").contains("${Stage}");
            if (statement.get("Action").toString().contains("kms:")) {
                assertThat(statement.at("/Condition/StringEquals/kms:ViaService").isArray()).isTrue();
            }
        }
    }

    private static List<JsonNode> statements() {
        List<JsonNode> found = new ArrayList<>();
        CfnTemplates.read("operator.yaml").at("/Resources/OperatorPolicy/Properties/PolicyDocument/Statement").forEach(found::add);
        assertThat(found).isNotEmpty();
        return found;
    }
}
