package org.rapidsrivers.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.Stage;

/** Real credentials never cross the network in clear text: plain HTTP only to this machine, or to a declared emulator. */
class EndpointInTheClearTest {
    private final AwsSettings aws = AwsSettings.of(Stage.of("t"));

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:5000", "http://localhost:4566", "http://[::1]:4566", "http://127.0.0.53",
            "https://sqs.eu-west-1.amazonaws.com", "https://emulator.example.com:4566"})
    void thisMachineOrTlsIsUsedAsGiven(String url) {
        assertThat(AwsClients.inTheClear(URI.create(url), "sqs", aws)).isEqualTo(URI.create(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.7:4566", "http://localstack:4566", "http://sqs.eu-west-1.amazonaws.com",
            "http://127.0.0.1.nip.io:4566"})
    void plainHttpElsewhereIsRefusedInOneLine(String url) {
        assertThatThrownBy(() -> AwsClients.inTheClear(URI.create(url), "sqs", aws))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("the sqs endpoint " + url + " is plain HTTP to a host other than this machine: your AWS credentials"
                        + " would cross the network in clear text; use https://, or say it is an emulator with --emulator"
                        + " (RR_EMULATOR=1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.7:4566", "http://localstack:4566"})
    void aDeclaredEmulatorElsewhereIsUsed(String url) {
        assertThat(AwsClients.inTheClear(URI.create(url), "sqs", aws.asEmulator(true))).isEqualTo(URI.create(url));
    }
}
