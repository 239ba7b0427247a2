package org.rapidsrivers.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;

/** The --rtt option as people type it, and what it refuses. */
class ModelledRoundTripTest {
    @Test
    void oneRoundTripForAllOrOnePerService() {
        assertThat(ModelledRoundTrip.parse("25ms").describe()).isEqualTo(Map.of("default", 25L));
        assertThat(ModelledRoundTrip.parse("sns=15ms, SQS=30ms").describe())
                .isEqualTo(Map.of("default", 20L, "sns", 15L, "sqs", 30L));
    }

    @Test
    void anythingElseIsOneLineSayingWhatIsAllowed() {
        for (String bad : new String[] {"fast", "20", "sqs=", "20s", "-5ms"}) {
            assertThatThrownBy(() -> ModelledRoundTrip.parse(bad))
                    .isInstanceOf(InvalidInput.class)
                    .hasMessageContaining("is not a round trip: use milliseconds such as 20ms");
        }
    }
}
