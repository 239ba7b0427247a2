package org.rapidsrivers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.testing.MotoServer;

/**
 * The shell on the AWS path, against moto: provisioning, then the original session with the planes
 * hosted by the local Kinesis host. The transcript must be the embedded backend's, line for line.
 */
class AwsSessionIT {
    private static MotoServer moto;

    @TempDir
    Path workDir;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

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

        RrProcess.Result result = rr(null, "--stage", "offers", "--host-planes", "scenario", "offers");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("OfferBundle 5 offers (offer-engine)",
                "ok: the bundle holds exactly the five expected offers");
    }

    private RrProcess.Result rr(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--backend", "aws", "--endpoint-url", moto.endpoint().toString(), "--no-cbor"));
        all.addAll(List.of(args));
        return RrProcess.run(workDir, stdin, all.toArray(String[]::new));
    }
}
