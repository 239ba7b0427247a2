package org.rapidsrivers.aws.rivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.aws.lambda.LambdaEnvironmentProbe;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;

/** What a topic made past the quota carries of the rapids topic's, and how a stage's quota is given. */
class StageTopicsTest {
    private static final String RAPIDS = "arn:aws:sns:us-east-1:123456789012:Rapids-dev";

    @Test
    void aTopicMadePastTheQuotaHasTheRapidsTopicsPolicyWithItsOwnArnWhereverTheRapidsTopicWasNamed() {
        String policy = Json.compact(Json.parse("""
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"DenyWithoutTls","Effect":"Deny","Principal":"*","Action":"sns:*","Resource":"%1$s",
                  "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
                 {"Sid":"OnlyTheFanOutPublishes","Effect":"Deny","Principal":"*","Action":"sns:Publish","Resource":["%1$s"],
                  "Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/rr-dev-planes-FanOutRole-*"}}},
                 {"Sid":"Other","Effect":"Allow","Principal":"*","Action":"sns:GetTopicAttributes","Resource":"%1$s:sub"}]}
                """.formatted(RAPIDS)));

        String made = StageTopics.policyFor(policy, RAPIDS, RAPIDS + "-2");

        assertThat(made).isEqualTo(policy.replace("\"" + RAPIDS + "\"", "\"" + RAPIDS + "-2\""));
        // only whole values naming the rapids topic change: an ARN that merely starts with it stays
        assertThat(made).contains("\"" + RAPIDS + ":sub\"").doesNotContain("\"" + RAPIDS + "\"");
    }

    @Test
    void theQuotaIsOneToTenThousandRiversATopicAndAnythingElseIsOneLineSayingWhatIsAllowed() {
        assertThat(AwsSettings.topicQuotaFrom(null)).isEqualTo(200);
        assertThat(AwsSettings.topicQuotaFrom(" 7 ")).isEqualTo(7);
        assertThatThrownBy(() -> AwsSettings.topicQuotaFrom("many")).isInstanceOf(InvalidInput.class)
                .hasMessage("RR_TOPIC_QUOTA 'many' is not a number: give 1 to 10000 rivers a topic");
        assertThatThrownBy(() -> AwsSettings.of(org.rapidsrivers.core.names.Stage.of("dev")).withTopicQuota(0))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("topic quota 0 is not allowed: give 1 to 10000 rivers a topic (SNS's default is 200 filter"
                        + " policies a topic)");
        assertThat(LambdaEnvironmentProbe.settings(Map.of("RR_STAGE", "dev", "RR_TOPIC_QUOTA", "3")).topicQuota()).isEqualTo(3);
        assertThat(LambdaEnvironmentProbe.settings(Map.of("RR_STAGE", "dev")).topicQuota()).isEqualTo(200);
    }
}
