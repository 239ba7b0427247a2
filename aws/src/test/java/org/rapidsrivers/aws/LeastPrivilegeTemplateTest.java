package org.rapidsrivers.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.rapidsrivers.aws.rivers.TopicRoutes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.aws.rivers.SqsRivers;
import org.rapidsrivers.aws.tables.DynamoOutcomes;
import org.rapidsrivers.aws.tables.DynamoFailureNotes;
import org.rapidsrivers.aws.tables.DynamoTraffic;
import org.rapidsrivers.core.names.Stage;

/**
 * Who may do what, where only AWS itself evaluates it (IAM, key and topic policies), held as template text
 * (issue 18, findings 1 and 10): the control plane may subscribe only the stage's own queues and change only
 * the rivers it made; the topic refuses any other endpoint and plain HTTP; the key serves SNS only for the
 * stage's topic and no service principal it does not need; every role uses the key only through the services
 * that hold the stage's data.
 */
class LeastPrivilegeTemplateTest {
    private static final Path CFN = Path.of(System.getProperty("rr.cfn", "../cfn"));
    private final JsonNode infrastructure = read("infrastructure.yaml");
    private final JsonNode planes = read("planes.yaml");
    private final JsonNode service = read("service.yaml");

    @Test
    void theControlPlaneSubscribesOnlyTheStagesQueuesAndChangesOnlyTheRiversItMade() {
        JsonNode subscribe = statement(planes, "ControlRole", "sns:Subscribe");
        assertThat(subscribe.at("/Condition/StringEquals/sns:Protocol").asText()).isEqualTo("sqs");
        assertThat(subscribe.at("/Condition/StringLike/sns:Endpoint/Fn::Sub").asText())
                .isEqualTo("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:rr-${Stage}-*");
        String tag = SqsRivers.MADE_BY_CONTROL_PLANE.keySet().iterator().next();
        String value = SqsRivers.MADE_BY_CONTROL_PLANE.get(tag);
        assertThat(statement(planes, "ControlRole", "sqs:SetQueueAttributes").at("/Condition/StringEquals/aws:ResourceTag~1" + tag)
                .asText()).isEqualTo(value);
        assertThat(statement(planes, "ControlRole", "sqs:CreateQueue").at("/Condition/StringEquals/aws:RequestTag~1" + tag)
                .asText()).isEqualTo(value);
        // no statement gives SetQueueAttributes or Subscribe without its condition
        for (JsonNode s : statements(planes, "ControlRole")) {
            if (s.get("Action").toString().contains("sqs:SetQueueAttributes") || s.get("Action").toString().contains("sns:Subscribe")) {
                assertThat(s.has("Condition")).as(s.get("Sid").asText()).isTrue();
            }
        }
    }

    /**
     * A deployed service's river is its stack's (issue 27, medium 1): its queues carry {@link SqsRivers#OWNED_BY}
     * naming the stack, and the control role may neither tag, untag nor change a queue with that tag or with
     * CloudFormation's own stack tag, neither of which it can set or remove; it may read tags, to reject commands.
     */
    @Test
    void theControlPlaneCanNeverChangeOrTagAQueueAStackOwns() {
        for (String queue : List.of("River", "DeadLetters")) {
            JsonNode tags = service.at("/Resources/" + queue + "/Properties/Tags");
            assertThat(tags).as(queue).anySatisfy(tag -> {
                assertThat(tag.get("Key").asText()).isEqualTo(SqsRivers.OWNED_BY);
                assertThat(tag.at("/Value/Ref").asText()).isEqualTo("AWS::StackName");
            });
        }
        List<String> deniedBy = new ArrayList<>();
        for (JsonNode s : statements(planes, "ControlRole")) {
            if (s.get("Effect").asText().equals("Deny")) {
                assertThat(s.get("Action").toString()).contains("sqs:TagQueue", "sqs:UntagQueue", "sqs:SetQueueAttributes",
                        "sqs:DeleteQueue");
                assertThat(s.at("/Resource/Fn::Sub").asText()).endsWith(":rr-${Stage}-*");
                s.at("/Condition/Null").fieldNames().forEachRemaining(key -> deniedBy.add(key + "=" + s.at("/Condition/Null").get(key).asText()));
            }
        }
        assertThat(deniedBy).containsExactlyInAnyOrder("aws:ResourceTag/" + SqsRivers.OWNED_BY + "=false",
                "aws:ResourceTag/aws:cloudformation:stack-name=false");
        assertThat(statement(planes, "ControlRole", "sqs:ListQueueTags").get("Effect").asText()).isEqualTo("Allow");
        assertThat(statements(planes, "ControlRole")).noneMatch(s -> s.get("Effect").asText().equals("Allow")
                && s.get("Action").toString().contains("sqs:UntagQueue"));
    }

    @Test
    void onlyTheControlPlaneWritesOutcomesTheFanOutOnlyItsTrafficNotesAndNoServiceTheCatalog() {
        JsonNode notes = statement(planes, "FanOutRole", "dynamodb:UpdateItem");
        assertThat(notes.at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys").toString())
                .isEqualTo("[\"" + DynamoTraffic.SEEN + " *\",\"" + DynamoTraffic.INSTANCE + " *\"]");
        JsonNode failures = statement(planes, "FanOutRole", "dynamodb:PutItem");
        assertThat(failures.at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys").toString())
                .isEqualTo("[\"" + DynamoFailureNotes.key("data-plane", "*", "").strip() + "\"]");
        JsonNode routes = statement(planes, "FanOutRole", "dynamodb:GetItem");
        assertThat(routes.at("/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys").toString())
                .isEqualTo("[\"" + TopicRoutes.TABLE_ITEM + "\"]");
        assertThat(statement(planes, "ControlRole", "dynamodb:PutItem").get("Resource").toString()).contains("catalog-arn");
        assertThat(service.at("/Resources/Role").toString()).doesNotContain("catalog-arn");
        assertThat(DynamoOutcomes.key("c-1")).doesNotStartWith(DynamoTraffic.SEEN);
    }

    @Test
    void theTopicRefusesPlainHttpAndAnyEndpointButTheStagesQueues() {
        JsonNode policy = infrastructure.at("/Resources/RapidsTopicPolicy/Properties/PolicyDocument/Statement");
        List<String> denied = new ArrayList<>();
        policy.forEach(s -> {
            assertThat(s.get("Effect").asText()).isEqualTo("Deny");
            denied.add(s.get("Sid").asText() + " " + s.get("Condition").toString());
        });
        assertThat(denied).anySatisfy(d -> assertThat(d).startsWith("DenyWithoutTls").contains("aws:SecureTransport"))
                .anySatisfy(d -> assertThat(d).startsWith("OnlyTheStagesQueuesSubscribe").contains("StringNotLike")
                        .contains(":rr-${Stage}-*"))
                .anySatisfy(d -> assertThat(d).startsWith("OnlyQueuesSubscribe").contains("\"sns:Protocol\":\"sqs\""))
                .anySatisfy(d -> assertThat(d).startsWith("OnlyTheFanOutPublishes").contains("ArnNotLike")
                        .contains(":role/rr-${Stage}-planes-FanOutRole-*"));
        // the role the condition names is the planes stack's fan-out role, as CloudFormation names it
        assertThat(planes.at("/Resources/FanOutRole/Properties/RoleName").isMissingNode()).isTrue();
        assertThat(new StageResources(Stage.of("dev")).planesStack()).isEqualTo("rr-dev-planes");
    }

    @Test
    void theKeyServesSnsOnlyForTheStagesTopicAndNoServicePrincipalItDoesNotNeed() {
        List<String> principals = new ArrayList<>();
        for (JsonNode s : infrastructure.at("/Resources/Key/Properties/KeyPolicy/Statement")) {
            JsonNode principal = s.at("/Principal/Service");
            if (principal.isMissingNode()) {
                continue;
            }
            principals.add(principal.toString());
            if (principal.asText().equals("sns.amazonaws.com")) {
                // the rapids topic and those the control plane makes past its quota (Rapids-<stage>-2...), no other
                assertThat(s.at("/Condition/ArnLike/aws:SourceArn").findValuesAsText("Fn::Sub")).containsExactly(
                        "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:Rapids-${Stage}",
                        "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:Rapids-${Stage}-*");
                assertThat(s.at("/Condition/StringEquals/aws:SourceAccount/Ref").asText()).isEqualTo("AWS::AccountId");
            }
        }
        assertThat(principals).noneMatch(p -> p.contains("sqs.amazonaws.com"));
    }

    @Test
    void everyRoleUsesTheKeyOnlyThroughTheServicesThatHoldTheStagesData() {
        List<JsonNode> kms = new ArrayList<>();
        for (String role : List.of("ControlRole", "FanOutRole")) {
            statements(planes, role).stream().filter(s -> s.get("Action").toString().contains("kms:")).forEach(kms::add);
        }
        statements(service, "Role").stream().filter(s -> s.get("Action").toString().contains("kms:")).forEach(kms::add);
        assertThat(kms).hasSize(3).allSatisfy(s -> {
            JsonNode via = s.at("/Condition/StringEquals/kms:ViaService");
            assertThat(via.isArray()).as(s.get("Sid").asText()).isTrue();
            via.forEach(v -> assertThat(v.at("/Fn::Sub").asText()).matches("(kinesis|sqs|sns|dynamodb)\\.\\$\\{AWS::Region}\\.amazonaws\\.com"));
        });
    }

    @Test
    void theArtifactsBucketsLoggingSuppressionSaysWhatIsTrue() {
        String reason = infrastructure.at("/Resources/ArtifactsBucket/Metadata/checkov/skip/0/comment").asText();
        assertThat(reason).contains("CloudTrail data events").doesNotContain("CloudTrail records who did");
    }

    private static JsonNode statement(JsonNode template, String role, String action) {
        return statements(template, role).stream().filter(s -> s.get("Action").toString().contains("\"" + action + "\""))
                .findFirst().orElseThrow(() -> new AssertionError(role + " has no statement with " + action));
    }

    private static List<JsonNode> statements(JsonNode template, String role) {
        return CfnTemplates.statements(template, role);
    }

    private static JsonNode read(String name) {
        return CfnTemplates.read(name);
    }
}
