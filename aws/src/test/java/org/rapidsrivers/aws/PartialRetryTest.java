package org.rapidsrivers.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartialRetryTest {
    @Test
    void onlyWhatWasRefusedIsSentAgainUntilAllIsTaken() {
        List<List<String>> calls = new ArrayList<>();
        PartialRetry.Refused<String> left = PartialRetry.send(List.of("a", "b", "c"), 5, sending -> {
            calls.add(sending);
            return switch (calls.size()) {
                case 1 -> new PartialRetry.Refused<>(List.of("b", "c"), "Throttled");
                case 2 -> new PartialRetry.Refused<>(List.of("c"), "Throttled");
                default -> PartialRetry.Refused.none();
            };
        });

        assertThat(left.isEmpty()).isTrue();
        assertThat(calls).containsExactly(List.of("a", "b", "c"), List.of("b", "c"), List.of("c"));
    }

    @Test
    void afterTheLastAttemptWhatIsStillRefusedAndTheLastReasonAreAnswered() {
        List<List<String>> calls = new ArrayList<>();
        PartialRetry.Refused<String> left = PartialRetry.send(List.of("a", "b"), 3, sending -> {
            calls.add(sending);
            return new PartialRetry.Refused<>(List.of("b"), "InternalFailure " + calls.size());
        });

        assertThat(calls).hasSize(3);
        assertThat(left.entries()).containsExactly("b");
        assertThat(left.reason()).isEqualTo("InternalFailure 3");
    }
}
