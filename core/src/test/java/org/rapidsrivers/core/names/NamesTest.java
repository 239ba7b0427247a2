package org.rapidsrivers.core.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rapidsrivers.core.InvalidInput;

class NamesTest {

    @Test
    void aStageNamesEveryResourceOfIt() {
        Stage stage = Stage.of("dev");
        RiverName river = RiverName.of("r1");
        assertThat(stage.rapidsStream()).isEqualTo("Rapids-dev");
        assertThat(stage.controlStream()).isEqualTo("Control-dev");
        assertThat(stage.rapidsTopic()).isEqualTo("Rapids-dev");
        assertThat(stage.catalogTable()).isEqualTo("Topics-dev");
        assertThat(stage.keyAlias()).isEqualTo("alias/rr-dev");
        assertThat(stage.riverQueue(river)).isEqualTo("rr-dev-r1");
        assertThat(stage.riverDeadLetterQueue(river)).isEqualTo("rr-dev-r1-dlq");
        assertThat(stage.controlDeadLetterQueue()).isEqualTo("rrsys-dev-control-dlq");
        assertThat(stage.fanOutDeadLetterQueue()).isEqualTo("rrsys-dev-fanout-dlq");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Dev", "my-stage", "abcdefghijklmnopq", "dev "})
    void aStageIsShortLowerCaseAndHasNoHyphen(String bad) {
        assertThatThrownBy(() -> Stage.of(bad)).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("invalid stage").hasMessageContaining("1-16 lower-case letters or digits");
    }

    @Test
    void theLongestRiverStillFitsSqsQueueNamesWithItsDeadLetterQueue() {
        String longest = "r".repeat(48);
        String dlq = Stage.of("a".repeat(16)).riverDeadLetterQueue(RiverName.of(longest));
        assertThat(dlq.length()).isLessThanOrEqualTo(80);
    }

    @ParameterizedTest
    @ValueSource(strings = {"r1", "offer-engine", "Sally_2", "9lives"})
    void acceptsRiverNames(String good) {
        assertThat(RiverName.of(good).value()).isEqualTo(good);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-r1", "_r1", "my river", "r1.fifo", "orders-dlq", "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"})
    void refusesRiverNamesWithTheRule(String bad) {
        assertThatThrownBy(() -> RiverName.of(bad)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("invalid river name '")
                .hasMessageContaining("1-48 letters, digits, '-' or '_'")
                .hasMessageContaining("not ending in '-dlq'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ViewPage", "offer.made/v2", "Ünïcödé", "a"})
    void acceptsTopics(String good) {
        assertThat(Topic.of(good).value()).isEqualTo(good);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "View Page", "tab\there", "line\nbreak", "nbsp\u00a0here", "Offer\u202Eredro", "zero\u200Bwidth"})
    void refusesTopicsWithWhitespaceOrControlCharacters(String bad) {
        assertThatThrownBy(() -> Topic.of(bad)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("invalid topic")
                .hasMessageContaining("1-128 characters with no whitespace, control or format characters")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aTopicHasAtMost128Characters() {
        assertThat(Topic.isValid("t".repeat(128))).isTrue();
        assertThat(Topic.isValid("t".repeat(129))).isFalse();
    }

    @Test
    void aLongRejectedValueIsShortenedInTheMessage() {
        assertThatThrownBy(() -> Topic.of("x ".repeat(200)))
                .hasMessageContaining("...")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    }
}
