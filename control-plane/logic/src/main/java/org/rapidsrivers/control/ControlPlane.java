package org.rapidsrivers.control;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.filter.RiverPolicy;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.ports.Catalog;
import org.rapidsrivers.core.ports.OutcomeLedger;
import org.rapidsrivers.core.ports.Rapids;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Subscriptions;

/**
 * Understands how to apply control commands, in order, to the rivers, their subscriptions and the
 * catalog. Every command ends in an outcome event on the rapids: applied, or rejected with the
 * reason. A command is never dropped silently; a failure of the infrastructure stops the batch so
 * the caller retries from that command.
 */
public final class ControlPlane implements StreamProcessor {
    /** The SNS limit on values in one filter policy; the embedded backend keeps the same limit. */
    public static final int MAX_TOPICS_PER_RIVER = 150;
    /** The counts each batch result carries, which the handler turns into metrics. */
    public static final String APPLIED = "Applied";
    public static final String REJECTED = "Rejected";

    private final Rivers rivers;
    private final Subscriptions subscriptions;
    private final Catalog catalog;
    private final Rapids rapids;
    private final Clock clock;
    private final OutcomeLedger ledger;

    /** The outcomes go to the ledger first, which watchers and traces trust (the events on the rapids anyone could forge). */
    public ControlPlane(Rivers rivers, Subscriptions subscriptions, Catalog catalog, Rapids rapids, Clock clock,
                        OutcomeLedger ledger) {
        this.rivers = rivers;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.rapids = rapids;
        this.clock = clock;
        this.ledger = ledger;
    }

    @Override
    public BatchResult process(List<StreamRecord> batch) {
        List<Decided> decided = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                decided.add(decide(batch.get(i)));
            } catch (BackendUnavailable unreachable) {
                publish(decided);
                return counted(BatchResult.unreachableFrom(batch, i, unreachable.getMessage()), decided);
            } catch (RuntimeException infrastructure) {
                publish(decided);
                return counted(BatchResult.failedFrom(batch, i, describe(infrastructure)), decided);
            }
        }
        publish(decided);
        return counted(BatchResult.success(), decided);
    }

    private static BatchResult counted(BatchResult result, List<Decided> decided) {
        long rejected = decided.stream().filter(d -> !d.outcome().applied()).count();
        return result.counting(Map.of(APPLIED, decided.size() - rejected, REJECTED, rejected));
    }

    /** Understands what became of one record: the ledger's entry and the event that says it on the rapids. */
    private record Decided(CommandOutcome outcome, Event event) {
    }

    private Decided decide(StreamRecord record) {
        String text = record.text();
        // derived from where the record sits, so every retry of the batch gives the same command the same id
        String fallbackId = ControlCommand.commandIdIn(text).orElseGet(() -> UUID.nameUUIDFromBytes(
                (record.shardId() + "/" + record.sequenceNumber()).getBytes(StandardCharsets.UTF_8)).toString());
        ControlCommand command;
        try {
            // a missing issuedAt becomes the record's arrival, which is also the same on every retry
            command = ControlCommand.parse(text, fallbackId, record.arrivedAt() == null ? clock
                    : Clock.fixed(record.arrivedAt(), ZoneOffset.UTC));
        } catch (InvalidInput refused) {
            return new Decided(CommandOutcome.rejected(fallbackId, null, refused.getMessage(), clock.instant()),
                    CommandOutcome.rejectedEvent(fallbackId, text, refused.getMessage(), clock));
        }
        boolean changed;
        try {
            changed = apply(command);
        } catch (InvalidInput refused) {
            return new Decided(CommandOutcome.rejected(command.commandId(), command, refused.getMessage(), clock.instant()),
                    CommandOutcome.rejectedEvent(command.commandId(), text, refused.getMessage(), clock));
        }
        return new Decided(CommandOutcome.applied(command, clock.instant(), changed), CommandOutcome.appliedEvent(command, clock));
    }

    /** Applies the command; whether that changed anything (an idempotent repeat does not). */
    private boolean apply(ControlCommand command) {
        return switch (command.kind()) {
            case SUBSCRIBE -> subscribe(command);
            case UNSUBSCRIBE -> unsubscribe(command);
            case ADVERTISE -> catalog.advertise(command.topic());
            case DELETE -> delete(command);
        };
    }

    /**
     * Its topics first (so nothing more flows in), then its queue and dead-letter queue; a river already gone
     * changes nothing. A river it did not make is refused (a deployed service's goes with its stack).
     */
    private boolean delete(ControlCommand command) {
        if (!rivers.exists(command.river())) {
            return false;
        }
        rivers.madeElsewhere(command.river()).ifPresent(owner -> {
            throw new InvalidInput("river '" + command.river() + "' belongs to " + owner + ", not to the control plane:"
                    + " rr remove --service " + command.river() + " removes it with its stack");
        });
        for (Topic topic : subscriptions.topicsOf(command.river())) {
            subscriptions.unsubscribe(command.river(), topic);
        }
        rivers.delete(command.river());
        return true;
    }

    /**
     * The river gets the topic, whole or as its filter says, in place of what it wanted of it before; every limit
     * of the river's policy is checked before anything is made or changed.
     */
    private boolean subscribe(ControlCommand command) {
        requireMadeHere(command);
        RiverPolicy policy = subscriptions.policyOf(command.river());
        ContentFilter had = policy.topics().get(command.topic());
        if (had == null && policy.topics().size() >= MAX_TOPICS_PER_RIVER) {
            throw new InvalidInput("river '" + command.river() + "' already has " + policy.topics().size()
                    + " topics, the most one river can have is " + MAX_TOPICS_PER_RIVER
                    + " (the SNS filter policy limit); unsubscribe one first");
        }
        policy.with(command.topic(), command.filter()).requireWithinLimits(command.river());
        rivers.create(command.river());
        if (command.filter().equals(had)) {
            return false;
        }
        subscriptions.subscribe(command.river(), command.topic(), command.filter());
        return true;
    }

    private boolean unsubscribe(ControlCommand command) {
        if (!rivers.exists(command.river())) {
            throw new InvalidInput("river '" + command.river() + "' does not exist");
        }
        requireMadeHere(command);
        boolean had = subscriptions.topicsOf(command.river()).contains(command.topic());
        subscriptions.unsubscribe(command.river(), command.topic());
        return had;
    }

    /**
     * A river the control plane did not make is not its to change: a deployed service's river is its stack's
     * (what it consumes is fixed there), so the command is rejected in one line, never retried or dead-lettered.
     */
    private void requireMadeHere(ControlCommand command) {
        rivers.madeElsewhere(command.river()).ifPresent(owner -> {
            throw new InvalidInput("river '" + command.river() + "' belongs to " + owner + ", not to the control plane: a"
                    + " deployed service's river consumes what its stack says (deploy it again to change that); to run the"
                    + " service as a process, remove its stack first (rr remove --service " + command.river()
                    + ") or run it under another name");
        });
    }

    /** The ledger first: once its outcomes are there, the events say on the rapids what the ledger holds. */
    private void publish(List<Decided> decided) {
        if (!decided.isEmpty()) {
            ledger.record(decided.stream().map(Decided::outcome).toList());
            rapids.publishAll(decided.stream().map(Decided::event).toList());
        }
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
