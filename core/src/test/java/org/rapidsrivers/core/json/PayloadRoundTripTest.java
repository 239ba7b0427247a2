package org.rapidsrivers.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.testing.JsonTexts;

/**
 * Whatever payload send accepts comes out of every reader with the same meaning and the same
 * number text, whether printed indented or compact; whatever could not survive is refused at
 * send with one line.
 */
class PayloadRoundTripTest {
    private static final Topic TYPE = Topic.of("RoundTrip");

    @Property(tries = 500)
    void acceptedPayloadsArePrintedWithTheSameMeaningAndNumberText(@ForAll("objects") String payload) {
        Event event = Event.builder(TYPE, "S", payload).build();
        Event arrived = Event.parse(event.toJson());

        for (boolean indented : List.of(true, false)) {
            String printed = Json.arrayText(List.of(arrived.toJson()), indented);
            var document = Json.parse(printed).get(0);
            assertThat(document.get("payload")).isEqualTo(Json.parse(payload));
            assertThat(JsonTexts.numberTexts(printed)).isEqualTo(JsonTexts.numberTexts(payload));
            assertThat(printed.contains("\n")).isEqualTo(indented && printed.length() > 2);
        }
    }

    @Property(tries = 200)
    void aPayloadThatIsNotAnObjectIsRefusedAtSendInOneLine(@ForAll("payloads") String value) {
        if (Json.parse(value).isObject()) {
            assertThat(Event.builder(TYPE, "S", value).build().payload()).isEqualTo(Json.parse(value));
            return;
        }
        assertThatThrownBy(() -> Event.builder(TYPE, "S", value))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("the payload must be a JSON object")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Property(tries = 200)
    void aLoneSurrogateAnywhereIsRefusedAtSendInOneLine(@ForAll("payloads") String payload,
                                                       @ForAll @IntRange(min = 0xd800, max = 0xdfff) int surrogate) {
        String poisoned = "{\"ok\":" + payload + ",\"bad\":[\"x" + String.format("\\u%04x", surrogate) + "\"]}";

        assertThatThrownBy(() -> Event.builder(TYPE, "S", poisoned))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("lone surrogate")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Property(tries = 60)
    void nestingIsAcceptedUpToTheLimitAndRefusedPastItInOneLine(@ForAll @IntRange(min = 2, max = 1500) int depth) {
        String payload = "{\"deep\":" + JsonTexts.nested(depth - 1) + "}";
        if (depth <= Json.MAX_DEPTH - 1) {
            Event event = Event.builder(TYPE, "S", payload).build();
            assertThat(Json.arrayText(List.of(event.toJson()), true)).contains("\"deep\"");
        } else {
            assertThatThrownBy(() -> Event.builder(TYPE, "S", payload))
                    .isInstanceOf(InvalidInput.class)
                    .hasMessage("JSON nested too deep: at most " + (Json.MAX_DEPTH - 1)
                            + " levels of objects and arrays are allowed");
        }
    }

    @Property(tries = 300)
    void aRecordIsEitherUtf8ThatSurvivesOrRefused(@ForAll("bytes") byte[] data) {
        StreamRecord record = new StreamRecord("shard-0", "1", "k", data, null);
        String text;
        try {
            text = record.strictText();
        } catch (InvalidInput refused) {
            assertThat(refused).hasMessage("record is not valid UTF-8 text, so it cannot be delivered unchanged");
            return;
        }
        assertThat(text.getBytes(StandardCharsets.UTF_8)).isEqualTo(data);
    }

    @Provide
    Arbitrary<String> objects() {
        return JsonTexts.objects(6);
    }

    @Provide
    Arbitrary<String> payloads() {
        return Arbitraries.oneOf(JsonTexts.objects(6), JsonTexts.values(4));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                JsonTexts.strings().map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }
}
