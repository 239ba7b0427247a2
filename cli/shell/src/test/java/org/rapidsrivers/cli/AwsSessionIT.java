package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.AwsSettings;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.testing.MotoExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The shell on the AWS path, against moto: provisioning, then the original session with the planes
 * hosted by the local Kinesis host. The transcript must be the embedded backend's, line for line.
 */
class AwsSessionIT {

    @TempDir
    Path workDir;

    @RegisterExtension
    static final MotoExtension moto = new MotoExtension();

    @Test
    void provisioningIsIdempotentAndSaysWhatItMade() {
        RrProcess.Result first = rr(null, "--stage", "prov", "provision", "--shards", "1");
        RrProcess.Result second = rr(null, "--stage", "prov", "provision", "--shards", "1");

        assertThat(first.exitCode()).isZero();
        assertThat(first.stdout()).contains("kms key alias/rr-prov: created", "kinesis stream Rapids-prov (1 shard): created",
                "kinesis stream Control-prov (1 shard): created", "dynamodb table Topics-prov: created",
                "sqs queue rrsys-prov-fanout-dlq: ready");
        assertThat(second.exitCode()).isZero();
        assertThat(second.stdout()).contains("kms key alias/rr-prov: already there",
                "kinesis stream Rapids-prov: already there", "dynamodb table Topics-prov: already there");
    }

    @Test
    void theOriginalSessionPrintsTheSameTranscriptAsOnTheEmbeddedBackend() throws IOException {
        assertThat(rr(null, "--stage", "dev", "provision").exitCode()).isZero();

        RrProcess.Result session = rr(OriginalSessionIT.SESSION, "--host-planes", "--rapids", "Rapids-dev",
                "--control-stream", "Control-dev");

        assertThat(session.errors()).isEmpty();
        assertThat(session.exitCode()).isZero();
        assertThat(session.normalizedStdout()).isEqualTo(OriginalSessionIT.golden("original-session.txt"));
    }

    @Test
    void riversByContentPrintTheSameTranscriptAsOnTheEmbeddedBackend() throws IOException {
        assertThat(rr(null, "--stage", "filters", "provision", "--shards", "1").exitCode()).isZero();

        RrProcess.Result session = rr(FilteredSessionIT.SESSION, "--stage", "filters", "--host-planes");

        assertThat(session.errors()).isEmpty();
        assertThat(session.exitCode()).isZero();
        assertThat(session.normalizedStdout()).isEqualTo(OriginalSessionIT.golden("filtered-session.txt"));
    }

    @Test
    void aStageThatWasNeverProvisionedSaysWhatToRun() {
        RrProcess.Result result = rr(null, "--stage", "nowhere", "send", "ViewPage", "S");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errors()).isEqualTo(
                "error: Kinesis stream Rapids-nowhere does not exist: run make deploy or rr provision for stage nowhere\n");
    }

    @Test
    void withoutHostedPlanesACommandWaitsThenSaysItStaysQueued() {
        assertThat(rr(null, "--stage", "lambdas", "provision", "--shards", "1").exitCode()).isZero();

        RrProcess.Result result = rr(null, "--stage", "lambdas", "subscribe", "r1", "T", "--timeout", "2");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errors()).startsWith("error: no outcome for subscribe r1 T within 2 s; it stays on Control-lambdas");
    }

    @Test
    void theOffersScenarioRunsOnTheAwsBackendToo() {
        assertThat(rr(null, "--stage", "offers", "provision", "--shards", "2").exitCode()).isZero();

        RrProcess.Result result = rr(null, "--stage", "offers", "--host-planes", "scenario", "offers", "--window", "5s");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("OfferBundle 5 offers (offer-engine)",
                "ok: the bundle holds the five expected offers");
    }

    @Test
    void anEmulatorEndpointWorksWithoutNoCbor() {
        List<String> plain = List.of("--backend", "aws", "--emulator", "--endpoint-url", moto.endpoint().toString(), "--stage", "json");
        assertThat(run(plain, "provision", "--shards", "1").exitCode()).isZero();

        RrProcess.Result sent = run(plain, "send", "ViewPage", "S");

        assertThat(sent.errors()).isEmpty();
        assertThat(sent.stdout()).matches("[0-9a-f-]{36}\n");
    }

    @Test
    void aCatalogTableOfAnotherShapeIsNamedNotCrashedOn() {
        AwsSettings settings = AwsSettings.of(Stage.of("shape")).withEndpoint(moto.endpoint()).asEmulator(true);
        try (AwsBackend aws = AwsBackend.open(settings)) {
            aws.clients().dynamoDb().createTable(b -> b.tableName("Topics-shape")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
            aws.clients().dynamoDb().putItem(b -> b.tableName("Topics-shape")
                    .item(Map.of("id", AttributeValue.fromS("x"))));
        }

        RrProcess.Result provision = rr(null, "--stage", "shape", "provision", "--shards", "1");
        RrProcess.Result topics = rr(null, "--stage", "shape", "topics");

        assertThat(provision.exitCode()).isEqualTo(1);
        assertThat(provision.errors()).isEqualTo("error: dynamodb table Topics-shape exists with key schema [id HASH];"
                + " rr needs it keyed by 'topic' (a string): delete that table or use another stage\n");
        assertThat(topics.exitCode()).isEqualTo(1);
        assertThat(topics.errors()).isEqualTo("error: DynamoDB table Topics-shape is not an rr catalog: an item has no"
                + " string 'topic' (another program's table?); delete it and run rr provision, or use another stage\n");
    }

    private RrProcess.Result run(List<String> options, String... args) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(args));
        return RrProcess.run(workDir, null, all.toArray(String[]::new));
    }

    private RrProcess.Result rr(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--backend", "aws", "--emulator", "--endpoint-url", moto.endpoint().toString()));
        all.addAll(List.of(args));
        return RrProcess.run(workDir, stdin, all.toArray(String[]::new));
    }
}
