package org.rapidsrivers.cli.commands;

import org.rapidsrivers.cli.session.CommandFailed;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.ports.Outcomes;

/**
 * Understands how the shell hands a command to the control plane and, unless told not to, waits
 * for its outcome on the rapids, so the user sees that it was applied, or why it was rejected.
 */
final class ControlRequest {
    private final Session session;

    ControlRequest(Session session) {
        this.session = session;
    }

    int send(ControlCommand command, String appliedSentence, boolean wait, Duration timeout) {
        Backend backend = wait ? session.backendWithPlanes() : session.backend();
        ObjectNode document = describe(command);
        if (!wait) {
            backend.controlStream().send(command);
            session.output().result("sent " + command.describe() + " (commandId " + command.commandId() + ")",
                    document.put("status", "sent"));
            return 0;
        }
        Optional<CommandOutcome> outcome;
        try (Outcomes.Watch watch = backend.outcomes().watch()) {
            backend.controlStream().send(command);
            outcome = watch.await(command.commandId(), timeout);
        }
        if (outcome.isEmpty()) {
            throw new CommandFailed("no outcome for " + command.describe() + " within " + timeout.toSeconds()
                    + " s; it stays on " + session.controlStreamName() + " and is applied when a control plane runs");
        }
        if (!outcome.get().applied()) {
            throw new CommandFailed(command.describe() + " was rejected: " + outcome.get().reason());
        }
        session.output().result(appliedSentence, document.put("status", "applied"));
        if (command.river() != null) {
            session.noteFilterPolicy(command.river());
        }
        return 0;
    }

    private static ObjectNode describe(ControlCommand command) {
        ObjectNode document = Json.object();
        document.put("command", command.kind().wireName());
        if (command.river() != null) {
            document.put("river", command.river().value());
        }
        document.put("topic", command.topic().value());
        document.put("commandId", command.commandId());
        return document;
    }
}
