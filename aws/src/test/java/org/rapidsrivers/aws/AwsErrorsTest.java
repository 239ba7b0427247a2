package org.rapidsrivers.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.BackendUnavailable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

/** The one-line messages users meet when AWS says no, from the exceptions the SDK throws. */
class AwsErrorsTest {
    @Test
    void aMissingResourceSaysHowToMakeIt() {
        assertThat(translate(service("ResourceNotFoundException", 400, "Stream Rapids-dev not found"),
                "kinesis:PutRecord", "Kinesis stream Rapids-dev"))
                .isEqualTo("Kinesis stream Rapids-dev does not exist: run make deploy or rr provision for stage dev");
    }

    @Test
    void accessDeniedNamesTheActionAndTheResource() {
        assertThat(translate(service("AccessDeniedException", 400, "User: arn:aws:iam::1:user/x is not authorized"),
                "sqs:ReceiveMessage", "SQS queue rr-dev-r1"))
                .isEqualTo("access denied: sqs:ReceiveMessage on SQS queue rr-dev-r1 (User: arn:aws:iam::1:user/x is not authorized)");
        assertThat(translate(service("AuthorizationError", 403, "not allowed"), "sns:Publish", "SNS topic Rapids-dev"))
                .startsWith("access denied: sns:Publish on SNS topic Rapids-dev");
    }

    @Test
    void throttlingThatOutlastsTheRetriesSaysSo() {
        AwsServiceException throttled = ThrottledException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded").build()).build();

        assertThat(translate(throttled, "sns:PublishBatch", "SNS topic Rapids-dev"))
                .isEqualTo("throttled by AWS: sns:PublishBatch on SNS topic Rapids-dev was still throttled after the SDK's retries;"
                        + " try again later");
    }

    @Test
    void unusableCredentialsAndAnEndpointThatIsNotThereAreExplained() {
        assertThat(translate(service("UnrecognizedClientException", 400, "The security token is invalid"), "x", "y"))
                .startsWith("AWS does not accept these credentials (UnrecognizedClientException)");
        assertThat(translate(SdkClientException.create("Unable to load credentials from any of the providers"), "x", "y"))
                .startsWith("no AWS credentials:");
        assertThat(translate(SdkClientException.create("Unable to execute HTTP request", new ConnectException("Connection refused")),
                "dynamodb:Scan", "DynamoDB table Topics-dev"))
                .startsWith("cannot reach the endpoint for dynamodb:Scan: connection refused");
    }

    @Test
    void anythingElseIsLeftAsItIs() {
        AwsServiceException odd = service("SomethingNew", 500, "?");
        assertThat(AwsErrors.translate(odd, "x", "y", "dev")).isSameAs(odd);
    }

    private static String translate(Exception e, String action, String resource) {
        RuntimeException translated = AwsErrors.translate((SdkException) e, action, resource, "dev");
        assertThat(translated).isInstanceOf(BackendUnavailable.class);
        return translated.getMessage();
    }

    private static AwsServiceException service(String code, int status, String message) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }
}
