package org.rapidsrivers.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;

/** The cases a tester found, each once: numbers that changed in transit, and messages that named Jackson's switches. */
class JsonTest {
    @Test
    void numbersArePrintedAsTheyWereWrittenNeverThroughADouble() {
        String payload = "{\"a\":1e400,\"b\":-1e309,\"c\":123456789012345678.5,\"d\":1e-400,\"e\":1.10,\"f\":1e+21,\"g\":-0}";

        assertThat(Json.compactText(payload)).isEqualTo(payload);
        assertThat(Json.arrayText(List.of(payload), true)).contains("\"a\": 1e400", "\"b\": -1e309",
                "\"c\": 123456789012345678.5", "\"d\": 1e-400", "\"e\": 1.10", "\"f\": 1e+21", "\"g\": -0");
    }

    @Test
    void treesKeepDecimalsExactToo() {
        assertThat(Json.compact(Json.parse("{\"e\":1.10,\"a\":1e400}"))).isEqualTo("{\"e\":1.10,\"a\":1E+400}");
    }

    @Test
    void malformedJsonIsExplainedWithoutJacksonsOptionNames() {
        for (String bad : List.of("{\"a\":NaN}", "{'a':1}", "{a:1}", "[1,]", "{\"a\":01}", "{\"a\":\"\t\"}")) {
            assertThatThrownBy(() -> Json.check(bad, 10))
                    .isInstanceOf(InvalidInput.class)
                    .hasMessageStartingWith("malformed JSON: ")
                    .satisfies(e -> assertThat(e.getMessage())
                            .doesNotContain("Feature", "enable", "ALLOW_", "`", "\n", "StreamReadConstraints"));
        }
    }

    @Test
    void trailingTextAfterTheValueIsRefused() {
        assertThatThrownBy(() -> Json.check("{} {}", 10)).hasMessageStartingWith("malformed JSON: more than one value");
    }
}
