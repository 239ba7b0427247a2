package org.rapidsrivers.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.cli.session.CommandFailed;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.stage.ControlClient;

/** A backfill completes its subscription or undoes it, and says which in one line. */
class BackfillTest {
    private static final RiverName RIVER = RiverName.of("late");
    private static final Topic TOPIC = Topic.of("ViewPage");
    private static final Instant SINCE = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant SUBSCRIBED = Instant.parse("2026-12-07T12:00:00Z");
    private static final ControlCommand UNSUBSCRIBE = ControlCommand.unsubscribe(RIVER, TOPIC, Clock.systemUTC());
    private final Backfill backfill = new Backfill(RIVER, TOPIC, SINCE, SUBSCRIBED);
    private final AtomicInteger undos = new AtomicInteger();

    @Test
    void aBackfillThatGivesTheHistoryLeavesTheSubscriptionAlone() {
        assertThat(backfill.giveOrUndo(() -> 42, () -> {
            undos.incrementAndGet();
            return answer(true);
        })).isEqualTo(42);
        assertThat(undos).hasValue(0);
    }

    @Test
    void aBackfillThatFailsUndoesItsSubscriptionAndSaysWhy() {
        assertThatThrownBy(() -> backfill.giveOrUndo(() -> {
            throw new BackendUnavailable("SQS queue rr-dev-late: BatchRequestTooLong");
        }, () -> {
            undos.incrementAndGet();
            return answer(true);
        })).isInstanceOf(CommandFailed.class).hasMessage("the backfill of ViewPage since 2026-12-07T10:00:00.000Z into late failed"
                + " (SQS queue rr-dev-late: BatchRequestTooLong), so its subscription was undone: late receives no ViewPage now"
                + " and keeps what it was given (subscribe again with --from once that is fixed; what arrives twice the River"
                + " API skips)");
        assertThat(undos).hasValue(1);
    }

    @Test
    void whenTheUndoingFailsTooTheLineNamesTheReplayThatFinishesTheHistory() {
        assertThatThrownBy(() -> backfill.giveOrUndo(() -> {
            throw new BackendUnavailable("the archive is unreachable");
        }, () -> answer(false))).isInstanceOf(CommandFailed.class)
                .hasMessageContaining("failed (the archive is unreachable), and undoing its subscription failed too (unsubscribe")
                .hasMessageContaining("was rejected: no such river)")
                .hasMessageEndingWith("late receives ViewPage live without all its history; rr replay --into late --type"
                        + " ViewPage --since 2026-12-07T10:00:00.000Z --until 2026-12-07T12:00:00.000Z gives the rest, or rr"
                        + " unsubscribe late ViewPage undoes it");
        assertThatThrownBy(() -> backfill.giveOrUndo(() -> {
            throw new BackendUnavailable("the archive is unreachable");
        }, () -> {
            throw new BackendUnavailable("the control stream is unreachable");
        })).hasMessageContaining("undoing its subscription failed too (the control stream is unreachable): late receives");
    }

    private static ControlClient.Answer answer(boolean applied) {
        CommandOutcome outcome = applied ? CommandOutcome.applied(UNSUBSCRIBE, SUBSCRIBED, true)
                : CommandOutcome.rejected(UNSUBSCRIBE.commandId(), UNSUBSCRIBE, "no such river", SUBSCRIBED);
        return new ControlClient.Answer(UNSUBSCRIBE, Optional.of(outcome), Duration.ofSeconds(30));
    }
}
