package org.rapidsrivers.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;

/** A monitor's words: the three kinds read, written back the same, and every bad word one line. */
class MonitorRuleTest {
    @Test
    void aFollowUpReadsAsTheSentenceItIs() {
        MonitorRule rule = MonitorRule.parse("bundles --when ViewPage --expect OfferBundle --within 3s --at-least 99% --over 10m");

        assertThat(rule.kind()).isEqualTo(MonitorRule.Kind.FOLLOW_UP);
        assertThat(rule.types()).containsExactly("ViewPage", "OfferBundle");
        assertThat(rule.within()).isEqualTo(Duration.ofSeconds(3));
        assertThat(rule.atLeast()).isEqualTo(0.99);
        assertThat(rule.over()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rule.minSample()).isEqualTo(MonitorRule.DEFAULT_MIN_SAMPLE);
        assertThat(rule.text()).isEqualTo("--when ViewPage --expect OfferBundle --within 3s --at-least 99% --over 10m");
    }

    @Test
    void conditionsOnEitherSideAndTheOtherKinds() {
        MonitorRule roadWarrior = MonitorRule.parse("road-warrior --when Segment --where segment=RoadWarrior --expect OfferBundle"
                + " --expect-where offers[].offer=road-warrior --within 3500ms --at-least 99.5% --min-sample 5");
        assertThat(roadWarrior.whenWhere()).extracting(Condition::toString).containsExactly("segment=RoadWarrior");
        assertThat(roadWarrior.expectWhere()).extracting(Condition::toString).containsExactly("offers[].offer=road-warrior");
        assertThat(roadWarrior.text()).isEqualTo("--when Segment --where segment=RoadWarrior --expect OfferBundle"
                + " --expect-where offers[].offer=road-warrior --within 3500ms --at-least 99.5% --over 10m --min-sample 5");

        MonitorRule none = MonitorRule.parse("no-rejections --expect-none ControlCommandRejected --over 10m");
        assertThat(none.kind()).isEqualTo(MonitorRule.Kind.ABSENCE);
        assertThat(none.text()).isEqualTo("--expect-none ControlCommandRejected --over 10m");

        MonitorRule rate = MonitorRule.parse("traffic --when ViewPage --at-least 1/min --over 1h");
        assertThat(rate.kind()).isEqualTo(MonitorRule.Kind.RATE);
        assertThat(rate.wantedInWindow()).isEqualTo(60.0);
        assertThat(rate.text()).isEqualTo("--when ViewPage --at-least 1/min --over 1h");
        assertThat(MonitorRule.parse("fast --when ViewPage --at-least 5/s --over 1m").text()).endsWith("--at-least 5/s --over 1m");
        assertThat(MonitorRule.parse("slow --when ViewPage --at-least 30/h --over 1h").text()).endsWith("--at-least 30/h --over 1h");
    }

    @Test
    void theWordsWrittenBackReadAsTheSameRule() {
        for (String line : List.of("a --when A --expect B --within 1ms --at-least 0% --over 1s",
                "b --when A --where x.y=1 --where z!=no --expect B --expect-where l[].m[].n=true --within 59s --at-least 100%",
                "c --expect-none X --where a=b", "d --when A --at-least 0.5/min --over 2h")) {
            MonitorRule rule = MonitorRule.parse(line);
            assertThat(MonitorRule.parse(rule.name(), rule.words())).isEqualTo(rule);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Bundles --when A --expect B --within 3s --at-least 99%|a monitor's name is 1-64 lowercase letters",
        "b --when A --expect B --within 0ms --at-least 99%|--within must be between 1ms and 3600s",
        "b --when A --expect B --within -1s --at-least 99%|--within '-1s' is not a duration",
        "b --when A --expect B --within 3s --at-least 101%|--at-least '101%' is not a percentage from 0% to 100%",
        "b --when A --expect B --within 3s --at-least -1%|--at-least '-1%' is not a percentage",
        "b --when A --expect B --within 3s --at-least 99|is not a percentage",
        "b --when A --expect B --at-least 99%|a follow-up needs --within <duration>",
        "b --when A --expect B --within 3s|give --at-least",
        "b --when A --at-least 0/min|is not a rate above zero",
        "b --when A --at-least 99%|is not a rate above zero",
        "b --expect B --within 3s --at-least 99%|give --when <type>",
        "b --expect-none X --when A|--expect-none <type> stands alone",
        "b --when A --within 3s --at-least 1/min|belong to a follow-up",
        "b --when A --expect B --within 10m --at-least 99%|must be shorter than --over 10m",
        "b --when A --expect B --within 3s --at-least 99% --where seg..x=1|a field is empty",
        "b --when A --expect B --within 3s --at-least 99% --where seg=|needs a value",
        "b --when A --expect B --within 3s --at-least 99% --where segment|is not a condition",
        "b --when A --expect B --within 3s --at-least 99% --where a[0]=1|'a[0]' is not a field",
        "b --when A --expect B --within 3s --at-least 99% --min-sample 0|--min-sample '0' is not a whole number",
        "b --when A --when C --expect B --within 3s --at-least 99%|--when is given twice",
        "b --when A --expect B --within 3s --at-least 99% --soon 1s|unknown option --soon",
        "b --when A --expect B --within 3s --at-least|--at-least needs a value",
        "b --when A --expect B --within 3s --at-least 99% --over 2d|--over '2d' is not a duration",
    })
    void badWordsAreOneLineNamingWhatIsAllowed(String line, String said) {
        assertThatThrownBy(() -> MonitorRule.parse(line)).isInstanceOf(InvalidInput.class).hasMessageContaining(said)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void conditionsFindValuesAlongPathsAndInArrays() {
        var bundle = Json.parse("{\"user\":\"u\",\"n\":3,\"ok\":true,\"offers\":[{\"offer\":\"baseline\"},{\"offer\":\"road-warrior\"}]}");
        assertThat(Condition.parse("offers[].offer=road-warrior", "--where").test(bundle)).isTrue();
        assertThat(Condition.parse("offers[].offer=student", "--where").test(bundle)).isFalse();
        assertThat(Condition.parse("offers[].offer!=student", "--where").test(bundle)).isTrue();
        assertThat(Condition.parse("n=3", "--where").test(bundle)).isTrue();
        assertThat(Condition.parse("ok=true", "--where").test(bundle)).isTrue();
        assertThat(Condition.parse("user.name=u", "--where").test(bundle)).isFalse();
        assertThat(Condition.parse("missing!=x", "--where").test(bundle)).isTrue();
        assertThat(Condition.parse("offers.offer=baseline", "--where").test(bundle)).as("an array needs []").isFalse();
        assertThat(Condition.parse("offers[].offer=x", "--where").carriedBy(bundle)).isTrue();
        assertThat(Condition.parse("segment=x", "--where").carriedBy(bundle)).isFalse();
        assertThat(Condition.parse("a=b=c", "--where").value()).isEqualTo("b=c");
    }
}
