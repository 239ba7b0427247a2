package org.rapidsrivers.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.testing.InMemoryCatalog;
import org.rapidsrivers.core.testing.InMemoryLedger;
import org.rapidsrivers.core.testing.InMemoryRapids;
import org.rapidsrivers.core.testing.InMemoryRivers;
import org.rapidsrivers.core.testing.Records;

class ControlPlaneTest {
    private static final RiverName R1 = RiverName.of("r1");
    private static final Topic VIEW_PAGE = Topic.of("ViewPage");
    private final Clock clock = Clock.systemUTC();
    private final InMemoryRivers rivers = new InMemoryRivers();
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final InMemoryRapids rapids = new InMemoryRapids();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final ControlPlane plane = new ControlPlane(rivers, rivers, catalog, rapids, clock, ledger);
    private final Records records = new Records();

    @Test
    void subscribeCreatesTheRiverOnFirstUseAndAddsTheTopic() {
        ControlCommand subscribe = ControlCommand.subscribe(R1, VIEW_PAGE, clock);

        assertThat(plane.process(records.of(subscribe.toJson())).succeeded()).isTrue();

        assertThat(rivers.exists(R1)).isTrue();
        assertThat(rivers.topicsOf(R1)).containsExactly(VIEW_PAGE);
        assertThat(outcomes()).containsExactly(new CommandOutcome(subscribe.commandId(), true, "RiverSubscribed", ""));
    }

    @Test
    void theLedgerKeepsEachCommandWithWhatItChangedAndTheFirstOutcomeStays() {
        ControlCommand subscribe = ControlCommand.subscribe(R1, VIEW_PAGE, clock);
        ControlCommand again = ControlCommand.subscribe(R1, VIEW_PAGE, clock);
        ControlCommand advertise = ControlCommand.advertise(VIEW_PAGE, clock);

        plane.process(records.of(subscribe.toJson(), again.toJson(), advertise.toJson()));
        plane.process(records.of(subscribe.toJson()));

        assertThat(ledger.all()).hasSize(3);
        assertThat(ledger.find(subscribe.commandId())).hasValueSatisfying(outcome -> {
            assertThat(outcome.applied()).isTrue();
            assertThat(outcome.command().describe()).isEqualTo("subscribe r1 ViewPage");
            assertThat(outcome.changed()).isTrue();
            assertThat(outcome.at()).isNotNull();
        });
        assertThat(ledger.find(again.commandId())).hasValueSatisfying(outcome -> assertThat(outcome.changed()).isFalse());
        assertThat(ledger.subscriptionChangesSince(Instant.EPOCH)).extracting(CommandOutcome::commandId)
                .containsExactly(subscribe.commandId());
    }

    @Test
    void aCommandIdThatIsNoIdIsRejectedUnderAnIdOfTheControlPlanes() {
        String huge = "{\"command\":\"advertise\",\"commandArgs\":{\"topic\":\"T\"},\"commandId\":\"" + "x".repeat(200_000) + "\"}";
        String spaced = "{\"command\":\"advertise\",\"commandArgs\":{\"topic\":\"T\"},\"commandId\":\"a b\"}";

        assertThat(plane.process(records.of(huge, spaced)).succeeded()).isTrue();

        assertThat(catalog.topics()).isEmpty();
        assertThat(ledger.all()).extracting(CommandOutcome::reason).containsExactly(
                "invalid command: commandId must be 1-128 characters of letters, digits and . _ : - (a UUID does), got 200000 characters",
                "invalid command: commandId must be 1-128 characters of letters, digits and . _ : - (a UUID does), got 'a b'");
        assertThat(ledger.all()).allSatisfy(outcome -> assertThat(outcome.commandId()).matches(ControlCommand.COMMAND_ID));
        assertThat(rapids.published()).allSatisfy(event -> assertThat(event.sizeInBytes()).isLessThan(4096));
    }

    @Test
    void aRiverTheControlPlaneDidNotMakeIsRejectedInOneLineAndLeftAsItWas() {
        RiverName deployed = RiverName.of("weather-offers");
        rivers.madeBy(deployed, "the stack rr-dev-service-weather-offers");
        rivers.subscribe(deployed, VIEW_PAGE);
        ControlCommand subscribe = ControlCommand.subscribe(deployed, Topic.of("Offer"), clock);
        ControlCommand unsubscribe = ControlCommand.unsubscribe(deployed, VIEW_PAGE, clock);

        BatchResult result = plane.process(records.of(subscribe.toJson(), unsubscribe.toJson()));

        assertThat(result.succeeded()).as("rejected, not retried").isTrue();
        assertThat(rivers.topicsOf(deployed)).containsExactly(VIEW_PAGE);
        assertThat(ledger.all()).allSatisfy(outcome -> {
            assertThat(outcome.applied()).isFalse();
            assertThat(outcome.reason()).isEqualTo("river 'weather-offers' belongs to the stack rr-dev-service-weather-offers, not to"
                    + " the control plane: a deployed service's river consumes what its stack says (deploy it again to change"
                    + " that); to run the service as a process, remove its stack first (rr remove --service weather-offers)"
                    + " or run it under another name");
        }).hasSize(2);
    }

    @Test
    void applyingACommandTwiceChangesNothingTheSecondTimeButStillConfirms() {
        ControlCommand subscribe = ControlCommand.subscribe(R1, VIEW_PAGE, clock);

        plane.process(records.of(subscribe.toJson(), subscribe.toJson()));

        assertThat(rivers.topicsOf(R1)).containsExactly(VIEW_PAGE);
        assertThat(outcomes()).extracting(CommandOutcome::applied).containsExactly(true, true);
    }

    @Test
    void unsubscribeLeavesTheRiverWithNoTopics() {
        plane.process(records.of(ControlCommand.subscribe(R1, VIEW_PAGE, clock).toJson(),
                ControlCommand.unsubscribe(R1, VIEW_PAGE, clock).toJson(),
                ControlCommand.unsubscribe(R1, VIEW_PAGE, clock).toJson()));

        assertThat(rivers.exists(R1)).isTrue();
        assertThat(rivers.topicsOf(R1)).isEmpty();
        assertThat(outcomes()).extracting(CommandOutcome::eventType)
                .containsExactly("RiverSubscribed", "RiverUnsubscribed", "RiverUnsubscribed");
    }

    @Test
    void deleteRemovesARiverItMadeWithItsTopicsOnceAndRefusesAStacksRiver() {
        RiverName deployed = RiverName.of("weather-offers");
        rivers.madeBy(deployed, "the stack rr-dev-service-weather-offers");
        rivers.subscribe(deployed, VIEW_PAGE);
        ControlCommand delete = ControlCommand.delete(R1, clock);
        ControlCommand again = ControlCommand.delete(R1, clock);
        ControlCommand stacks = ControlCommand.delete(deployed, clock);
        assertThat(ControlCommand.parse(delete.toJson(), "x", clock).toJson()).isEqualTo(delete.toJson());

        plane.process(records.of(ControlCommand.subscribe(R1, VIEW_PAGE, clock).toJson(), delete.toJson(), again.toJson(),
                stacks.toJson()));

        assertThat(rivers.exists(R1)).isFalse();
        assertThat(rivers.topicsOf(R1)).isEmpty();
        assertThat(ledger.find(delete.commandId())).hasValueSatisfying(o -> {
            assertThat(o.eventType()).isEqualTo("RiverDeleted");
            assertThat(o.changed()).isTrue();
        });
        assertThat(ledger.find(again.commandId())).hasValueSatisfying(o -> assertThat(o.changed()).as("already gone").isFalse());
        assertThat(ledger.find(stacks.commandId())).hasValueSatisfying(o -> {
            assertThat(o.applied()).isFalse();
            assertThat(o.reason()).isEqualTo("river 'weather-offers' belongs to the stack rr-dev-service-weather-offers, not to"
                    + " the control plane: rr remove --service weather-offers removes it with its stack");
        });
        assertThat(rivers.topicsOf(deployed)).containsExactly(VIEW_PAGE);
    }

    @Test
    void unsubscribingARiverThatDoesNotExistIsRejected() {
        plane.process(records.of(ControlCommand.unsubscribe(RiverName.of("ghost"), VIEW_PAGE, clock).toJson()));

        assertThat(rivers.exists(RiverName.of("ghost"))).isFalse();
        assertThat(outcomes()).singleElement().satisfies(o -> {
            assertThat(o.applied()).isFalse();
            assertThat(o.reason()).isEqualTo("river 'ghost' does not exist");
        });
    }

    @Test
    void advertiseAddsToTheCatalog() {
        plane.process(records.of(ControlCommand.advertise(VIEW_PAGE, clock).toJson()));

        assertThat(catalog.topics()).containsExactly(VIEW_PAGE);
        assertThat(outcomes()).extracting(CommandOutcome::eventType).containsExactly("TopicAdvertised");
    }

    @Test
    void commandsAreAppliedInTheOrderTheyArrive() {
        plane.process(records.of(ControlCommand.subscribe(R1, VIEW_PAGE, clock).toJson(),
                ControlCommand.unsubscribe(R1, VIEW_PAGE, clock).toJson(),
                ControlCommand.subscribe(R1, VIEW_PAGE, clock).toJson()));

        assertThat(rivers.topicsOf(R1)).containsExactly(VIEW_PAGE);
    }

    @Test
    void the151stTopicIsRefusedWithTheReason() {
        for (int i = 1; i <= 150; i++) {
            plane.process(records.of(ControlCommand.subscribe(R1, Topic.of("T" + i), clock).toJson()));
        }
        ControlCommand oneTooMany = ControlCommand.subscribe(R1, Topic.of("T151"), clock);

        plane.process(records.of(oneTooMany.toJson()));

        assertThat(rivers.topicsOf(R1)).hasSize(150).doesNotContain(Topic.of("T151"));
        assertThat(outcomes().get(150)).satisfies(o -> {
            assertThat(o.commandId()).isEqualTo(oneTooMany.commandId());
            assertThat(o.applied()).isFalse();
            assertThat(o.reason()).isEqualTo("river 'r1' already has 150 topics, the most one river can have is 150"
                    + " (the SNS filter policy limit); unsubscribe one first");
        });
    }

    @Test
    void resubscribingATopicARiverAlreadyHasIsFineAtTheLimit() {
        for (int i = 1; i <= 150; i++) {
            plane.process(records.of(ControlCommand.subscribe(R1, Topic.of("T" + i), clock).toJson()));
        }
        plane.process(records.of(ControlCommand.subscribe(R1, Topic.of("T7"), clock).toJson()));

        assertThat(outcomes().get(150).applied()).isTrue();
    }

    @Test
    void malformedAndUnknownCommandsArePublishedAsRejectedNotDropped() {
        List<StreamRecord> batch = records.of("{not json",
                "{\"command\":\"drop\",\"commandId\":\"c-7\",\"commandArgs\":{\"topic\":\"T\"}}",
                "{\"command\":\"subscribe\",\"commandArgs\":{\"river\":\"bad river\",\"topic\":\"T\"}}",
                ControlCommand.advertise(VIEW_PAGE, clock).toJson());

        assertThat(plane.process(batch).succeeded()).isTrue();

        List<Event> published = rapids.published();
        assertThat(published).extracting(e -> e.type().value()).containsExactly(
                "ControlCommandRejected", "ControlCommandRejected", "ControlCommandRejected", "TopicAdvertised");
        assertThat(published.get(0).payload().get("reason").asText()).startsWith("malformed JSON");
        assertThat(published.get(0).payload().get("received").asText()).isEqualTo("{not json");
        assertThat(published.get(1).payload().get("commandId").asText()).isEqualTo("c-7");
        assertThat(published.get(1).payload().get("reason").asText())
                .isEqualTo("unknown command 'drop' (allowed: subscribe, unsubscribe, advertise, delete)");
        assertThat(published.get(2).payload().get("reason").asText()).startsWith("invalid river name 'bad river'");
    }

    @Test
    void anInfrastructureFailureStopsTheBatchAtThatCommandAndKeepsTheOutcomesBeforeIt() {
        ControlCommand first = ControlCommand.advertise(VIEW_PAGE, clock);
        ControlCommand second = ControlCommand.subscribe(R1, VIEW_PAGE, clock);
        ControlCommand third = ControlCommand.subscribe(RiverName.of("r2"), VIEW_PAGE, clock);
        List<StreamRecord> batch = records.of(first.toJson(), second.toJson(), third.toJson());
        rivers.failNextChanges(1);

        BatchResult result = plane.process(batch);

        assertThat(result.failedSequenceNumbers()).containsExactly(batch.get(1).sequenceNumber(), batch.get(2).sequenceNumber());
        assertThat(result.reason()).contains("rivers unavailable");
        assertThat(outcomes()).extracting(CommandOutcome::commandId).containsExactly(first.commandId());

        assertThat(plane.process(batch.subList(1, 3)).succeeded()).isTrue();
        assertThat(rivers.topicsOf(R1)).containsExactly(VIEW_PAGE);
        assertThat(rivers.topicsOf(RiverName.of("r2"))).containsExactly(VIEW_PAGE);
    }

    @Test
    void aCommandWithoutIdGetsTheSameIdAndTimeOnEveryRetryOfItsBatch() {
        List<StreamRecord> batch = records.of("{\"command\":\"advertise\",\"commandArgs\":{\"topic\":\"T\"}}",
                "{\"command\":\"launch\",\"commandArgs\":{}}");

        plane.process(batch);
        plane.process(batch);

        List<CommandOutcome> outcomes = outcomes();
        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0).commandId()).isEqualTo(outcomes.get(2).commandId());
        assertThat(outcomes.get(1).commandId()).isEqualTo(outcomes.get(3).commandId())
                .isNotEqualTo(outcomes.get(0).commandId());
        assertThat(rapids.published().get(0).payload()).isEqualTo(rapids.published().get(2).payload());
    }

    private List<CommandOutcome> outcomes() {
        return rapids.published().stream().map(e -> CommandOutcome.of(e).orElseThrow()).toList();
    }
}
