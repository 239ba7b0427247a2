package org.rapidsrivers.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

class ControlCommandTest {
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-22T11:00:00Z"), ZoneOffset.UTC);

    @Test
    void roundTripsThroughTheWireFormat() {
        ControlCommand command = ControlCommand.subscribe(RiverName.of("r1"), Topic.of("ViewPage"), NOON);
        String json = command.toJson();

        assertThat(json).contains("\"command\":\"subscribe\"", "\"commandArgs\":{\"river\":\"r1\",\"topic\":\"ViewPage\"}",
                "\"issuedAt\":\"2026-11-22T11:00:00.000Z\"");
        assertThat(ControlCommand.parse(json, "unused", NOON)).isEqualTo(command);
    }

    @Test
    void aSubscribeCarriesWhatTheRiverWantsOfTheTopicAsWhereWords() {
        ControlCommand command = ControlCommand.subscribe(RiverName.of("r1"), Topic.of("Offer"),
                ContentFilter.parse(List.of("source=location", "amount>=1000")), NOON);
        String json = command.toJson();

        assertThat(json).contains("\"commandArgs\":{\"river\":\"r1\",\"topic\":\"Offer\",\"where\":[\"amount>=1000\",\"source=location\"]}");
        assertThat(ControlCommand.parse(json, "unused", NOON)).isEqualTo(command);
        assertThat(command.describe()).isEqualTo("subscribe r1 Offer --where amount>=1000 --where source=location");
        assertThatThrownBy(() -> ControlCommand.parse("{\"command\":\"subscribe\",\"commandArgs\":{\"river\":\"r1\","
                + "\"topic\":\"Offer\",\"where\":[\"amount>=2e9\"]}}", "id", NOON)).isInstanceOf(InvalidInput.class)
                .hasMessage("--where 'amount>=2e9': 2e9 is outside the numbers SNS compares, -10^9 to 10^9");
        assertThatThrownBy(() -> ControlCommand.parse("{\"command\":\"subscribe\",\"commandArgs\":{\"river\":\"r1\","
                + "\"topic\":\"Offer\",\"where\":\"source=location\"}}", "id", NOON)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("invalid command: commandArgs.where must be an array of conditions");
    }

    @Test
    void fillsInTheIdAndTimeThatOlderClientsLeaveOut() {
        ControlCommand command = ControlCommand.parse(
                "{\"command\":\"subscribe\",\"commandArgs\":{\"river\":\"r1\",\"topic\":\"ViewPage\"}}", "given-id", NOON);

        assertThat(command.commandId()).isEqualTo("given-id");
        assertThat(command.issuedAt()).isEqualTo(NOON.instant());
    }

    @Test
    void advertiseNeedsOnlyATopicAndIsKeyedByIt() {
        ControlCommand command = ControlCommand.parse("{\"command\":\"advertise\",\"commandArgs\":{\"topic\":\"ViewPage\"}}", "id", NOON);

        assertThat(command.river()).isNull();
        assertThat(command.partitionKey()).isEqualTo("ViewPage");
        assertThat(command.describe()).isEqualTo("advertise ViewPage");
    }

    @Test
    void oneRiversCommandsShareAPartitionKey() {
        assertThat(ControlCommand.subscribe(RiverName.of("r1"), Topic.of("A"), NOON).partitionKey())
                .isEqualTo(ControlCommand.unsubscribe(RiverName.of("r1"), Topic.of("B"), NOON).partitionKey())
                .isEqualTo("r1");
    }

    @Test
    void refusesWhatItCannotApplyWithTheReason() {
        assertRefused("nope", "malformed JSON");
        assertRefused("[]", "invalid command: expected a JSON object");
        assertRefused("{}", "invalid command: command is missing");
        assertRefused("{\"command\":\"drop\"}", "unknown command 'drop' (allowed: subscribe, unsubscribe, advertise, delete)");
        assertRefused("{\"command\":\"delete\"}", "invalid command: commandArgs must be an object with river");
        assertRefused("{\"command\":\"delete\",\"commandArgs\":{\"topic\":\"T\"}}", "invalid command: commandArgs.river is missing");
        assertRefused("{\"command\":\"subscribe\"}", "invalid command: commandArgs must be an object with river and topic");
        assertRefused("{\"command\":\"subscribe\",\"commandArgs\":{\"topic\":\"T\"}}", "invalid command: commandArgs.river is missing");
        assertRefused("{\"command\":\"subscribe\",\"commandArgs\":{\"river\":\"bad river\",\"topic\":\"T\"}}", "invalid river name 'bad river'");
        assertRefused("{\"command\":\"advertise\",\"commandArgs\":{\"topic\":\"a b\"}}", "invalid topic 'a b'");
        assertRefused("{\"command\":\"advertise\",\"commandArgs\":{\"topic\":\"T\"},\"issuedAt\":\"soon\"}", "invalid command: issuedAt 'soon'");
    }

    @Test
    void findsTheIdOfACommandItCannotApply() {
        assertThat(ControlCommand.commandIdIn("{\"command\":\"drop\",\"commandId\":\"abc\"}")).contains("abc");
        assertThat(ControlCommand.commandIdIn("not json")).isEmpty();
    }

    @Test
    void outcomesSayWhatBecameOfACommand() {
        ControlCommand command = ControlCommand.subscribe(RiverName.of("r1"), Topic.of("ViewPage"), NOON);
        Event applied = CommandOutcome.appliedEvent(command, NOON);
        Event rejected = CommandOutcome.rejectedEvent("id-2", "{\"command\":\"drop\"}", "unknown command 'drop'", NOON);

        assertThat(applied.type().value()).isEqualTo("RiverSubscribed");
        assertThat(applied.domain()).isEqualTo("control-plane");
        assertThat(applied.payload().get("river").asText()).isEqualTo("r1");
        assertThat(CommandOutcome.of(applied)).contains(new CommandOutcome(command.commandId(), true, "RiverSubscribed", ""));
        assertThat(CommandOutcome.of(rejected)).contains(new CommandOutcome("id-2", false, "ControlCommandRejected", "unknown command 'drop'"));
        assertThat(rejected.payload().get("received").asText()).isEqualTo("{\"command\":\"drop\"}");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> ControlCommand.parse(json, "id", NOON)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith(message);
    }
}
