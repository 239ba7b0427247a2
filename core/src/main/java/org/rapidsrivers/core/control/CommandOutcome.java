package org.rapidsrivers.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands what became of a command: applied (RiverSubscribed, RiverUnsubscribed, TopicAdvertised) or
 * rejected (ControlCommandRejected) with the reason; for the control plane's ledger also the command itself
 * (null when it could not be read), when the control plane applied it, and whether that changed anything (an
 * idempotent repeat does not). The control plane publishes it on the rapids too, as an event, for readers of
 * the rapids; whoever waits for a command or traces a river's subscriptions reads the ledger.
 */
public record CommandOutcome(String commandId, boolean applied, String eventType, String reason, ControlCommand command,
                             Instant at, boolean changed) {
    /** An outcome as an event tells it: no command, no time, no change known. */
    public CommandOutcome(String commandId, boolean applied, String eventType, String reason) {
        this(commandId, applied, eventType, reason, null, null, false);
    }

    /** The command applied at {@code at}; {@code changed}: whether it changed the rivers, subscriptions or catalog. */
    public static CommandOutcome applied(ControlCommand command, Instant at, boolean changed) {
        return new CommandOutcome(command.commandId(), true, appliedType(command.kind()), "", command, at, changed);
    }

    /** Refused at {@code at}; {@code command} is null when the record could not be read as one. */
    public static CommandOutcome rejected(String commandId, ControlCommand command, String reason, Instant at) {
        return new CommandOutcome(commandId, false, REJECTED, reason, command, at, false);
    }

    /**
     * Whether it changed a river's subscriptions by one topic: what a trace undoes, newest first, to learn what
     * routing said then (a deleted river is gone from the trace altogether).
     */
    public boolean changedSubscriptions() {
        return applied && changed && command != null && (command.kind() == CommandKind.SUBSCRIBE
                || command.kind() == CommandKind.UNSUBSCRIBE);
    }

    /** Who the outcome events say published them: the control plane (as its consumer of the control stream is named). */
    public static final String DOMAIN = "control-plane";
    public static final String REJECTED = "ControlCommandRejected";
    private static final int MAX_ECHOED_CHARS = 1024;

    public static Event appliedEvent(ControlCommand command, Clock clock) {
        ObjectNode payload = Json.object();
        payload.put("commandId", command.commandId());
        payload.put("command", command.kind().wireName());
        if (command.river() != null) {
            payload.put("river", command.river().value());
        }
        if (command.topic() != null) {
            payload.put("topic", command.topic().value());
        }
        return Event.builder(Topic.of(appliedType(command.kind())), DOMAIN, payload)
                .correlationId(command.commandId())
                .clock(clock)
                .build();
    }

    /** A refusal; {@code received} is the command as it arrived, echoed (shortened) so nothing is lost silently. */
    public static Event rejectedEvent(String commandId, String received, String reason, Clock clock) {
        ObjectNode payload = Json.object();
        payload.put("commandId", commandId);
        payload.put("reason", reason);
        payload.put("received", received.length() > MAX_ECHOED_CHARS
                ? received.substring(0, MAX_ECHOED_CHARS) + "..." : received);
        return Event.builder(Topic.of(REJECTED), DOMAIN, payload)
                .correlationId(commandId)
                .clock(clock)
                .build();
    }

    /** The outcome an event carries, if it is a control-plane outcome. */
    public static Optional<CommandOutcome> of(Event event) {
        if (!DOMAIN.equals(event.domain()) || event.payload() == null || !event.payload().isObject()) {
            return Optional.empty();
        }
        JsonNode id = event.payload().get("commandId");
        if (id == null || !id.isTextual()) {
            return Optional.empty();
        }
        String type = event.type().value();
        boolean rejected = REJECTED.equals(type);
        String reason = rejected ? event.payload().path("reason").asText("") : "";
        return Optional.of(new CommandOutcome(id.asText(), !rejected, type, reason));
    }

    static String appliedType(CommandKind kind) {
        return switch (kind) {
            case SUBSCRIBE -> "RiverSubscribed";
            case UNSUBSCRIBE -> "RiverUnsubscribed";
            case ADVERTISE -> "TopicAdvertised";
            case DELETE -> "RiverDeleted";
        };
    }
}
