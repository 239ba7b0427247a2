package org.rapidsrivers.cli.commands;

import org.rapidsrivers.cli.session.CommandFailed;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.stage.ControlClient;

/**
 * Understands how the shell hands a command to the control plane ({@link ControlClient}) and, unless told not
 * to, waits for its outcome, so the user sees that it was applied, or why it was rejected.
 */
final class ControlRequest {
    private final Session session;

    ControlRequest(Session session) {
        this.session = session;
    }

    int send(ControlCommand command, String appliedSentence, boolean wait, Duration timeout) {
        ControlClient client = ControlClient.of(wait ? session.backendWithPlanes() : session.backend());
        ObjectNode document = describe(command);
        if (!wait) {
            client.sendOnly(command);
            session.output().result("sent " + command.describe() + " (commandId " + command.commandId() + ")",
                    document.put("status", "sent"));
            return 0;
        }
        ControlClient.Answer answer = client.send(command, timeout);
        if (answer.unanswered()) {
            throw new CommandFailed("no outcome for " + command.describe() + " within " + timeout.toSeconds()
                    + " s; it stays on " + session.controlStreamName() + " and is applied when a control plane runs");
        }
        if (!answer.applied()) {
            throw new CommandFailed(answer.problem());
        }
        session.output().result(appliedSentence, document.put("status", "applied"));
        if (command.river() != null && command.kind().needsTopic()) {
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
        if (command.topic() != null) {
            document.put("topic", command.topic().value());
        }
        if (!command.filter().isWhole()) {
            ArrayNode where = document.putArray("where");
            command.filter().words().forEach(where::add);
        }
        document.put("commandId", command.commandId());
        return document;
    }
}
