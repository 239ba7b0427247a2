package org.rapidsrivers.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Optional;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands the events the control plane publishes on the rapids to say what became of a
 * command: RiverSubscribed, RiverUnsubscribed, TopicAdvertised, or ControlCommandRejected with the
 * reason. The shell waits for these to confirm a command.
 */
public record CommandOutcome(String commandId, boolean applied, String eventType, String reason) {
    public static final String DOMAIN = org.rapidsrivers.core.operate.Plane.CONTROL.consumer();
    public static final String REJECTED = "ControlCommandRejected";
    private static final int MAX_ECHOED_CHARS = 1024;

    public static Event appliedEvent(ControlCommand command, Clock clock) {
        ObjectNode payload = Json.object();
        payload.put("commandId", command.commandId());
        payload.put("command", command.kind().wireName());
        if (command.river() != null) {
            payload.put("river", command.river().value());
        }
        payload.put("topic", command.topic().value());
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
        };
    }
}
