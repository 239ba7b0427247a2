package org.rapidsrivers.cli.commands;

import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.rapidsrivers.cli.session.CommandFailed;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.stage.ControlClient;

/**
 * Understands a backfill as part of the subscription it completes: the history given, or, when it could not
 * be, the subscription undone (nothing half-done: a river that receives a topic live but lacks the history
 * it was promised), and one line saying what failed and what was left. When the undoing fails too, the line
 * names the replay that finishes the history.
 */
final class Backfill {
    private final RiverName river;
    private final Topic topic;
    private final Instant since;
    private final Instant subscribedAt;

    Backfill(RiverName river, Topic topic, Instant since, Instant subscribedAt) {
        this.river = river;
        this.topic = topic;
        this.since = since;
        this.subscribedAt = subscribedAt;
    }

    /** The number of events given; or, when giving them failed, the outcome of {@code undo} in a failure. */
    long giveOrUndo(LongSupplier history, Supplier<ControlClient.Answer> undo) {
        try {
            return history.getAsLong();
        } catch (RuntimeException failed) {
            String what = "the backfill of " + topic + " since " + Timestamps.format(since) + " into " + river + " failed ("
                    + failed.getMessage() + ")";
            ControlClient.Answer undone;
            try {
                undone = undo.get();
            } catch (RuntimeException alsoFailed) {
                throw new CommandFailed(what + ", and undoing its subscription failed too (" + alsoFailed.getMessage()
                        + "): " + finish());
            }
            if (!undone.applied()) {
                throw new CommandFailed(what + ", and undoing its subscription failed too (" + undone.problem() + "): " + finish());
            }
            throw new CommandFailed(what + ", so its subscription was undone: " + river + " receives no " + topic
                    + " now and keeps what it was given (subscribe again with --from once that is fixed; what arrives twice"
                    + " the River API skips)");
        }
    }

    private String finish() {
        return river + " receives " + topic + " live without all its history; rr replay --into " + river + " --type " + topic
                + " --since " + Timestamps.format(since) + " --until " + Timestamps.format(subscribedAt)
                + " gives the rest, or rr unsubscribe " + river + " " + topic + " undoes it";
    }
}
