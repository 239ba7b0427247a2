package org.rapidsrivers.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.aws.tables.DynamoOutcomes;

/**
 * The policy of one service run as a process (cfn/service-process.yaml, issue 27 medium 2) as template text:
 * exactly its deployed function's rights (cfn/service.yaml's Role, statement by statement) on its own river,
 * the rapids, its own pond and the key, plus what a process's start-up needs: putting its commands on the
 * control stream and reading their outcomes. Never another river, another pond, the archive or the topic.
 */
class ServiceProcessTemplateTest {
    private final List<JsonNode> process = policy();
    private final List<JsonNode> deployed = CfnTemplates.statements(CfnTemplates.read("service.yaml"), "Role");

    @Test
    void aServiceProcessMayDoWhatItsDeployedFunctionMayAndSubscribeThroughTheControlPlane() {
        Map<String, String> deployedBySid = bySid(deployed);
        Map<String, String> processBySid = bySid(process);
        for (String shared : List.of("ReadItsRiverAndRemindItself", "PutOnTheRapids", "ItsOwnPond", "UseTheStagesKey")) {
            assertThat(processBySid.get(shared)).as(shared).isEqualTo(deployedBySid.get(shared));
        }
        assertThat(processBySid.keySet()).containsExactlyInAnyOrder("ReadItsRiverAndRemindItself", "PutOnTheRapids", "ItsOwnPond",
                "UseTheStagesKey", "SubscribeItsRiverThroughTheControlPlane", "ReadTheControlPlanesOutcomes");
        assertThat(processBySid.get("SubscribeItsRiverThroughTheControlPlane")).contains("kinesis:PutRecord", "control-arn");
    }

    @Test
    void itReachesOnlyItsOwnRiverAndPondAndTheOutcomesOfTheCatalog() {
        JsonNode river = statement("ReadItsRiverAndRemindItself");
        assertThat(river.at("/Resource/Fn::Sub").asText())
                .isEqualTo("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:rr-${Stage}-${Service}");
        assertThat(statement("ItsOwnPond").at("/Condition/ForAllValues:StringEquals/dynamodb:LeadingKeys/0/Ref").asText())
                .isEqualTo("Service");
        JsonNode outcomes = statement("ReadTheControlPlanesOutcomes");
        assertThat(outcomes.get("Action").toString()).isEqualTo("[\"dynamodb:GetItem\"]");
        assertThat(outcomes.at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys/0").asText())
                .isEqualTo(DynamoOutcomes.key("*"));
        List<String> actions = new ArrayList<>();
        process.forEach(s -> s.get("Action").forEach(a -> actions.add(a.asText())));
        assertThat(actions).noneMatch(a -> a.startsWith("s3:") || a.startsWith("sns:") || a.startsWith("iam:") || a.endsWith(":*"))
                .noneMatch(a -> a.matches("sqs:(SetQueueAttributes|CreateQueue|DeleteQueue|PurgeQueue|TagQueue|ListQueues)"))
                .noneMatch(a -> a.matches("kinesis:(GetRecords|GetShardIterator)"));
        assertThat(process).allSatisfy(s -> assertThat(s.get("Effect").asText()).isEqualTo("Allow"));
    }

    private JsonNode statement(String sid) {
        return process.stream().filter(s -> s.get("Sid").asText().equals(sid)).findFirst().orElseThrow();
    }

    private static Map<String, String> bySid(List<JsonNode> statements) {
        Map<String, String> found = new TreeMap<>();
        statements.forEach(s -> {
            var copy = s.deepCopy();
            ((ObjectNode) copy).remove("Sid");
            // the deployed role names its river by the stack's own resource; the process by its name
            found.put(s.get("Sid").asText(), copy.toString().replace("{\"Fn::GetAtt\":[\"River\",\"Arn\"]}",
                    "{\"Fn::Sub\":\"arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:rr-${Stage}-${Service}\"}"));
        });
        return found;
    }

    private static List<JsonNode> policy() {
        List<JsonNode> found = new ArrayList<>();
        CfnTemplates.read("service-process.yaml").at("/Resources/ServiceProcessPolicy/Properties/PolicyDocument/Statement")
                .forEach(found::add);
        assertThat(found).isNotEmpty();
        return found;
    }
}
