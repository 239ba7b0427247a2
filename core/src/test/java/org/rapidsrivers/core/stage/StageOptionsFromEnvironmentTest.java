package org.rapidsrivers.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.Stage;

/** A service started from the environment opens the stage the variables name, and a bad one is one line. */
class StageOptionsFromEnvironmentTest {
    @Test
    void nothingSetIsTheEmbeddedDevStageInDotRapids() {
        StageOptions options = StageOptions.fromEnvironment(Map.of());

        assertThat(options.backend()).isEqualTo(StageOptions.EMBEDDED);
        assertThat(options.stage()).isEqualTo(Stage.of("dev"));
        assertThat(options.dataDir()).isEqualTo(Path.of(".rapids"));
        assertThat(options.rapidsStream()).isEqualTo("Rapids-dev");
        assertThat(options.endpoint()).isEmpty();
        assertThat(options.emulator()).isFalse();
    }

    @Test
    void awsOnAnEmulatorIsSaidByTheVariables() {
        StageOptions options = StageOptions.fromEnvironment(Map.of("RR_BACKEND", "aws", "RR_STAGE", "prod",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_REGION", "eu-west-1", "RR_EMULATOR", "1",
                "RR_NO_CBOR", "true", "RR_DATA_DIR", "/tmp/journals"));

        assertThat(options.backend()).isEqualTo(StageOptions.AWS);
        assertThat(options.stage()).isEqualTo(Stage.of("prod"));
        assertThat(options.controlStream()).isEqualTo("Control-prod");
        assertThat(options.endpoint()).contains(URI.create("http://127.0.0.1:5000"));
        assertThat(options.region()).contains("eu-west-1");
        assertThat(options.emulator()).isTrue();
        assertThat(options.noCbor()).isTrue();
        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/journals"));
    }

    @Test
    void theDefaultRegionVariableIsTheFallback() {
        assertThat(StageOptions.fromEnvironment(Map.of("AWS_DEFAULT_REGION", "us-east-2")).region()).contains("us-east-2");
        assertThat(StageOptions.fromEnvironment(Map.of("AWS_REGION", "eu-north-1", "AWS_DEFAULT_REGION", "us-east-2"))
                .region()).contains("eu-north-1");
    }

    @Test
    void streamNamesMayBeGivenAndAreChecked() {
        StageOptions options = StageOptions.fromEnvironment(Map.of("RR_RAPIDS_STREAM", "Rapids-shared",
                "RR_CONTROL_STREAM", "Control-shared"));
        assertThat(options.rapidsStream()).isEqualTo("Rapids-shared");
        assertThat(options.controlStream()).isEqualTo("Control-shared");

        assertThatThrownBy(() -> StageOptions.fromEnvironment(Map.of("RR_RAPIDS_STREAM", "no spaces")))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("invalid RR_RAPIDS_STREAM 'no spaces': use 1-128 letters, digits, '_', '-' or '.'");
    }

    @Test
    void badValuesAreOneLineNamingTheVariable() {
        assertThatThrownBy(() -> StageOptions.fromEnvironment(Map.of("RR_STAGE", "Prod-1")))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("RR_STAGE: invalid stage 'Prod-1': use 1-16 lower-case letters or digits");
        assertThatThrownBy(() -> StageOptions.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "localhost:4566")))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("AWS_ENDPOINT_URL 'localhost:4566' is not an endpoint: use http://host:port or https://host");
    }

    @Property
    void everyBackendOtherThanTheTwoIsRefusedInOneLine(@ForAll("notBackends") String backend) {
        assertThatThrownBy(() -> StageOptions.fromEnvironment(Map.of("RR_BACKEND", backend)))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("RR_BACKEND '")
                .hasMessageEndingWith("' is not a backend: use embedded or aws")
                .message().doesNotContain("\n");
    }

    @Provide
    Arbitrary<String> notBackends() {
        return Arbitraries.strings().ofMaxLength(20).filter(s -> !s.strip().equals("embedded") && !s.strip().equals("aws"));
    }
}
