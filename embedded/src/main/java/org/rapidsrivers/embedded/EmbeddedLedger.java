package org.rapidsrivers.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.control.CommandKind;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.OutcomeLedger;

/**
 * Understands the control plane's ledger on the embedded backend: a row per command in table {@code outcomes},
 * written only inside the control plane's batch (its transaction with the checkpoint), the first one for a
 * command kept (INSERT OR IGNORE). Watchers and traces read it, never an outcome event on the rapids.
 */
final class EmbeddedLedger implements OutcomeLedger {
    private final Database db;

    EmbeddedLedger(Database db) {
        this.db = db;
    }

    @Override
    public void record(List<CommandOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        db.write(() -> {
            PreparedStatement insert = db.statement("INSERT OR IGNORE INTO outcomes (command_id, applied, event_type, reason,"
                    + " command, river, topic, issued_ms, at_ms, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            for (CommandOutcome outcome : outcomes) {
                ControlCommand command = outcome.command();
                insert.setString(1, outcome.commandId());
                insert.setInt(2, outcome.applied() ? 1 : 0);
                insert.setString(3, outcome.eventType());
                insert.setString(4, outcome.reason());
                insert.setString(5, command == null ? null : command.kind().wireName());
                insert.setString(6, command == null || command.river() == null ? null : command.river().value());
                insert.setString(7, command == null || command.topic() == null ? null : command.topic().value());
                insert.setObject(8, command == null ? null : command.issuedAt().toEpochMilli());
                insert.setLong(9, outcome.at().toEpochMilli());
                insert.setInt(10, outcome.changed() ? 1 : 0);
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<CommandOutcome> find(String commandId) {
        return db.read(() -> {
            PreparedStatement select = db.statement(SELECT + " WHERE command_id = ?");
            select.setString(1, commandId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(outcome(rows)) : Optional.<CommandOutcome>empty();
            }
        });
    }

    @Override
    public List<CommandOutcome> subscriptionChangesSince(Instant since) {
        return db.read(() -> {
            PreparedStatement select = db.statement(SELECT + " WHERE at_ms >= ? AND changed = 1 AND command IN ('subscribe',"
                    + " 'unsubscribe') ORDER BY at_ms");
            select.setLong(1, since.toEpochMilli());
            List<CommandOutcome> changes = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    changes.add(outcome(rows));
                }
            }
            return changes;
        });
    }

    private static final String SELECT = "SELECT command_id, applied, event_type, reason, command, river, topic, issued_ms, at_ms,"
            + " changed FROM outcomes";

    private static CommandOutcome outcome(ResultSet row) throws SQLException {
        String kind = row.getString(5);
        ControlCommand command = kind == null ? null : new ControlCommand(CommandKind.fromWire(kind).orElseThrow(),
                row.getString(6) == null ? null : RiverName.of(row.getString(6)), row.getString(7) == null ? null : Topic.of(row.getString(7)),
                row.getString(1),
                Instant.ofEpochMilli(row.getLong(8)));
        return new CommandOutcome(row.getString(1), row.getInt(2) == 1, row.getString(3), row.getString(4), command,
                Instant.ofEpochMilli(row.getLong(9)), row.getInt(10) == 1);
    }
}
