package org.rapidsrivers.aws.rivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.plane.StreamRecord;

/**
 * A plane's dead letter always fits an SQS message (issue 27, low): the record's data is cut by the bytes SQS
 * counts (escapes and multi-byte characters included), never by characters, and says it was cut; a record that
 * fits is kept whole.
 */
class SqsDeadLettersTest {
    private final SqsDeadLetters letters = new SqsDeadLetters(null, null, "rrsys-t-fanout-dlq", "data-plane", Stage.of("t"),
            Clock.systemUTC());

    @Property(tries = 40)
    void everyDeadLetterFitsAnSqsMessageAndSaysWhetherItWasCut(@ForAll("records") String data) {
        var body = letters.describe(new StreamRecord("shardId-000000000000", "1", "k", data.getBytes(StandardCharsets.UTF_8), null),
                "too large");

        int bytes = Json.compact(body).getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThanOrEqualTo(SqsDeadLetters.MAX_BODY_BYTES);
        String kept = body.get("data").asText();
        assertThat(data).startsWith(kept);
        assertThat(body.get("truncated").asBoolean()).isEqualTo(kept.length() < data.length());
        if (!kept.isEmpty()) {
            assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).as("no half a character").isFalse();
        }
    }

    @Provide
    Arbitrary<String> records() {
        Arbitrary<String> piece = Arbitraries.of("\"", "\\", "\u20ac", "\ud83d\ude00", "a", "\n", "{\"k\":1}");
        return Arbitraries.integers().between(1_000, 260_000).flatMap(size ->
                piece.list().ofSize(40).map(pieces -> {
                    StringBuilder text = new StringBuilder();
                    while (text.length() < size) {
                        pieces.forEach(text::append);
                    }
                    return text.toString();
                }));
    }
}
