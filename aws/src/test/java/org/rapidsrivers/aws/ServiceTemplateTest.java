package org.rapidsrivers.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.aws.rivers.SnsSubscriptions;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Visibility;

/**
 * What moto cannot show about a deployed service's stack (cfn/service.yaml), read from the YAML: its role
 * may do exactly what a service does and nothing more (no control stream, no other river, no other
 * service's pond entries), its river is the one the rest of rr knows by name, and its mapping reports
 * failures per message.
 */
class ServiceTemplateTest {
    private static final Path CFN = Path.of(System.getProperty("rr.cfn", "../cfn"));
    private final JsonNode service = read();

    @Test
    void theRoleMayDoExactlyWhatAServiceDoesOnItsOwnResources() {
        Map<String, String> rights = new TreeMap<>();
        Map<String, String> resources = new TreeMap<>();
        for (JsonNode policy : service.at("/Resources/Role/Properties/Policies")) {
            for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
                List<String> actions = new ArrayList<>();
                statement.get("Action").forEach(a -> actions.add(a.asText()));
                rights.put(statement.get("Sid").asText(), String.join(" ", actions.stream().sorted().toList()));
                resources.put(statement.get("Sid").asText(), statement.get("Resource").toString());
            }
        }
        assertThat(rights).containsExactlyInAnyOrderEntriesOf(Map.of(
                "WriteItsLogs", "logs:CreateLogStream logs:PutLogEvents",
                "ReadItsRiverAndRemindItself", "sqs:ChangeMessageVisibility sqs:DeleteMessage sqs:GetQueueAttributes"
                        + " sqs:GetQueueUrl sqs:ReceiveMessage sqs:SendMessage",
                "GiveUpWithTheReason", "sqs:GetQueueUrl sqs:SendMessage",
                "PutOnTheRapids", "kinesis:PutRecord kinesis:PutRecords",
                "ItsOwnPond", "dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:Query",
                "UseTheStagesKey", "kms:Decrypt kms:GenerateDataKey"));
        assertThat(resources).containsExactlyInAnyOrderEntriesOf(Map.of(
                "WriteItsLogs", "{\"Fn::Sub\":\"${Logs.Arn}:*\"}",
                "ReadItsRiverAndRemindItself", "{\"Fn::GetAtt\":[\"River\",\"Arn\"]}",
                "GiveUpWithTheReason", "{\"Fn::GetAtt\":[\"DeadLetters\",\"Arn\"]}",
                "PutOnTheRapids", "{\"Fn::ImportValue\":{\"Fn::Sub\":\"rr-${Stage}-rapids-arn\"}}",
                "ItsOwnPond", "{\"Fn::ImportValue\":{\"Fn::Sub\":\"rr-${Stage}-ponds-arn\"}}",
                "UseTheStagesKey", "{\"Fn::ImportValue\":{\"Fn::Sub\":\"rr-${Stage}-key-arn\"}}"));
        JsonNode pond = statement("ItsOwnPond");
        assertThat(pond.at("/Condition/ForAllValues:StringEquals/dynamodb:LeadingKeys/0/Ref").asText()).isEqualTo("Service");
        assertThat(service.at("/Resources/Role").toString()).doesNotContain("control-arn").doesNotContain("catalog-arn");
    }

    @Test
    void theRiverIsTheOneRrKnowsByNameWithItsDeadLetterQueueAndAFilterOfWhatTheServiceConsumes() {
        Stage stage = Stage.of("x");
        RiverName river = RiverName.of("offer-engine");
        assertThat(sub("River", "QueueName").replace("${Stage}", "x").replace("${Service}", "offer-engine"))
                .isEqualTo(stage.riverQueue(river));
        assertThat(sub("DeadLetters", "QueueName").replace("${Stage}", "x").replace("${Service}", "offer-engine"))
                .isEqualTo(stage.riverDeadLetterQueue(river));
        assertThat(service.at("/Resources/River/Properties/RedrivePolicy/maxReceiveCount").asInt())
                .isEqualTo(Rivers.MAX_RECEIVES);
        JsonNode subscription = service.at("/Resources/Subscription/Properties");
        // the event_type attribute in Consumes, or the MessageBody policy rr deploy compiles from the service's rules
        assertThat(subscription.at("/FilterPolicy/Fn::If/0").asText()).isEqualTo("FiltersByContent");
        assertThat(subscription.at("/FilterPolicy/Fn::If/1/Ref").asText()).isEqualTo("BodyFilterPolicy");
        assertThat(subscription.at("/FilterPolicy/Fn::If/2/" + SnsSubscriptions.ATTRIBUTE + "/Ref").asText()).isEqualTo("Consumes");
        assertThat(subscription.at("/FilterPolicyScope/Fn::If").toString())
                .isEqualTo("[\"FiltersByContent\",\"MessageBody\",\"MessageAttributes\"]");
        assertThat(subscription.at("/RawMessageDelivery").asBoolean()).isTrue();
        for (String queue : List.of("River", "DeadLetters")) {
            assertThat(service.at("/Resources/" + queue + "/Properties/KmsMasterKeyId").toString()).contains("rr-${Stage}-key-arn");
        }
    }

    @Test
    void theFunctionAndStackAreNamedAsTheStageDescriptionSaysAndTheMappingReportsFailuresPerMessage() {
        StageResources stage = new StageResources(Stage.of("x"));
        assertThat(sub("Function", "FunctionName").replace("${Stage}", "x").replace("${Service}", "brand"))
                .isEqualTo(stage.serviceFunction("brand"));
        assertThat(service.at("/Resources/Function/Properties/Handler").asText()).isEqualTo(StageResources.serviceHandler());
        JsonNode mapping = service.at("/Resources/Mapping/Properties");
        assertThat(mapping.at("/FunctionResponseTypes/0").asText()).isEqualTo("ReportBatchItemFailures");
        assertThat(mapping.at("/Enabled/Fn::If/0").asText()).isEqualTo("OnAws");
        assertThat(mapping.at("/ScalingConfig/MaximumConcurrency/Ref").asText()).isEqualTo("MaximumConcurrency");
        assertThat(service.at("/Parameters/BatchSize/MaxValue").asInt()).isEqualTo(10);
        assertThat(service.at("/Parameters/VisibilityTimeout/Default").asInt())
                .isGreaterThanOrEqualTo(service.at("/Parameters/Timeout/Default").asInt())
                .as("the one home of a deployed river's visibility").isEqualTo(Visibility.FUNCTION_SECONDS)
                .isEqualTo(6 * service.at("/Parameters/Timeout/Default").asInt());
        assertThat(service.at("/Parameters/Service/AllowedPattern").asText()).isEqualTo("[A-Za-z0-9][A-Za-z0-9-]{0,39}");
        assertThat(StageResources.deployable("offer-engine")).isTrue();
        assertThat(StageResources.deployable("a_b")).isFalse();
        assertThat(StageResources.deployable("x".repeat(41))).isFalse();
        assertThat(service.at("/Resources/DeadLettersAlarm/Properties/Threshold").asInt()).isZero();
    }

    private JsonNode statement(String sid) {
        for (JsonNode policy : service.at("/Resources/Role/Properties/Policies")) {
            for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                if (statement.get("Sid").asText().equals(sid)) {
                    return statement;
                }
            }
        }
        throw new AssertionError("no statement " + sid);
    }

    private String sub(String resource, String property) {
        return service.at("/Resources/" + resource + "/Properties/" + property + "/Fn::Sub").asText();
    }

    private static JsonNode read() {
        return CfnTemplates.read("service.yaml");
    }
}
