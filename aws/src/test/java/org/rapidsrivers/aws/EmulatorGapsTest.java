package org.rapidsrivers.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** What an emulator refuses is left out only where the user said the endpoint is one, and said once. */
class EmulatorGapsTest {
    private final List<String> warnings = new ArrayList<>();

    EmulatorGapsTest() {
        EmulatorGaps.warnTo(warnings::add);
    }

    @AfterEach
    void restore() {
        EmulatorGaps.warnTo(System.err::println);
    }

    @Test
    void onAnEmulatorWhatItRefusesIsLeftOutWithOneWarning() {
        EmulatorGaps gaps = new EmulatorGaps(true);
        String part = "the test attribute " + System.nanoTime();

        String first = gaps.withFallback(part, () -> { throw refusal("InvalidAttributeName", 400); }, () -> "reduced");
        String second = gaps.withFallback(part, () -> { throw refusal("InvalidAttributeName", 400); }, () -> "reduced");

        assertThat(first).isEqualTo("reduced");
        assertThat(second).isEqualTo("reduced");
        assertThat(warnings).singleElement().asString().startsWith("warning: the emulator refuses " + part)
                .contains("left out here, AWS itself gets it");
    }

    @Test
    void withoutTheSayingNothingIsLeftOut() {
        EmulatorGaps gaps = new EmulatorGaps(false);

        assertThatThrownBy(() -> gaps.withFallback("x", () -> { throw refusal("InvalidAttributeName", 400); }, () -> "reduced"))
                .isInstanceOf(AwsServiceException.class);
        assertThat(warnings).isEmpty();
    }

    @Test
    void anEmulatorsOtherFailuresAreNotTakenForGaps() {
        EmulatorGaps gaps = new EmulatorGaps(true);

        assertThatThrownBy(() -> gaps.withFallback("y", () -> { throw refusal("AccessDenied", 403); }, () -> "reduced"))
                .isInstanceOf(AwsServiceException.class);
        assertThat(gaps.withFallback("z", () -> "full", () -> "reduced")).isEqualTo("full");
    }

    private static AwsServiceException refusal(String code, int status) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("Unknown attribute: X").build())
                .build();
    }
}
