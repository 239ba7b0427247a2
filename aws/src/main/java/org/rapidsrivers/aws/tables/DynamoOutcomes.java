package org.rapidsrivers.aws.tables;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.control.CommandKind;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.control.ControlCommand;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.LedgerOutcomes;
import org.rapidsrivers.core.ports.OutcomeLedger;
import org.rapidsrivers.core.ports.Outcomes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Understands the outcomes of control commands on AWS as the control plane's ledger: one item per command
 * in the catalog table ({@code outcome <commandId>}), written by the control plane before its outcome events
 * go on the rapids, and read by whoever waits for a command. Only the control plane's role (and an
 * administrator) may write the catalog, while any producer may put events on the rapids: so a watcher here
 * trusts an outcome only from the ledger, and a forged {@code RiverSubscribed} on the rapids confirms nothing.
 */
public final class DynamoOutcomes implements Outcomes, OutcomeLedger {
    static final String KIND = "outcome";
    /** The command's topic and river (the table's key is named topic: an item's key is {@code outcome <commandId>}). */
    private static final String TOPIC = "commandTopic";
    private static final String RIVER = "commandRiver";
    private static final Duration FIRST_LOOK = Duration.ofMillis(50);
    private static final Duration MOST_BETWEEN_LOOKS = Duration.ofMillis(250);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Stage stage;
    private final LedgerOutcomes watch;

    public DynamoOutcomes(DynamoDbClient dynamo, Stage stage) {
        this.watch = new LedgerOutcomes(this, FIRST_LOOK, MOST_BETWEEN_LOOKS);
        this.dynamo = dynamo;
        this.table = stage.catalogTable();
        this.stage = stage;
    }

    public static String key(String commandId) {
        return KIND + " " + commandId;
    }

    /**
     * One PutItem per outcome with {@code attribute_not_exists}: the first outcome of a command stays, so a
     * retried batch (or anything that may write the table) cannot rewrite what the control plane said.
     */
    @Override
    public void record(List<CommandOutcome> outcomes) {
        for (CommandOutcome outcome : outcomes) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(DynamoCatalog.KEY, AttributeValue.fromS(key(outcome.commandId())));
            item.put(DynamoTraffic.KIND, AttributeValue.fromS(KIND));
            item.put("applied", AttributeValue.fromBool(outcome.applied()));
            item.put("eventType", AttributeValue.fromS(outcome.eventType()));
            item.put("reason", AttributeValue.fromS(outcome.reason()));
            item.put("at", AttributeValue.fromS(Timestamps.format(outcome.at())));
            item.put("changed", AttributeValue.fromBool(outcome.changed()));
            ControlCommand command = outcome.command();
            if (command != null) {
                item.put("command", AttributeValue.fromS(command.kind().wireName()));
                if (command.topic() != null) {
                    item.put(TOPIC, AttributeValue.fromS(command.topic().value()));
                }
                item.put("issuedAt", AttributeValue.fromS(Timestamps.format(command.issuedAt())));
                if (command.river() != null) {
                    item.put(RIVER, AttributeValue.fromS(command.river().value()));
                }
            }
            try {
                AwsErrors.call("dynamodb:PutItem", "DynamoDB table " + table, stage.value(),
                        () -> dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#k)")
                                .expressionAttributeNames(Map.of("#k", DynamoCatalog.KEY))));
            } catch (ConditionalCheckFailedException writtenBefore) {
                // the first outcome of this command stays
            }
        }
    }

    @Override
    public Optional<CommandOutcome> find(String commandId) {
        Map<String, AttributeValue> item = AwsErrors.call("dynamodb:GetItem", "DynamoDB table " + table, stage.value(),
                () -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of(DynamoCatalog.KEY, AttributeValue.fromS(key(commandId)))))).item();
        if (item == null || item.isEmpty() || !KIND.equals(text(item, DynamoTraffic.KIND))) {
            return Optional.empty();
        }
        return Optional.of(outcome(commandId, item));
    }

    /** One scan of the outcome items applied since then that changed a subscription (a trace's question). */
    @Override
    public List<CommandOutcome> subscriptionChangesSince(Instant since) {
        return AwsErrors.call("dynamodb:Scan", "DynamoDB table " + table, stage.value(), () -> {
            List<CommandOutcome> changes = new ArrayList<>();
            for (var page : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                    .filterExpression("#k = :outcome AND #at >= :since AND changed = :yes AND (command = :sub OR command = :unsub)")
                    .expressionAttributeNames(Map.of("#k", DynamoTraffic.KIND, "#at", "at"))
                    .expressionAttributeValues(Map.of(":outcome", AttributeValue.fromS(KIND),
                            ":since", AttributeValue.fromS(Timestamps.format(since)), ":yes", AttributeValue.fromBool(true),
                            ":sub", AttributeValue.fromS(CommandKind.SUBSCRIBE.wireName()),
                            ":unsub", AttributeValue.fromS(CommandKind.UNSUBSCRIBE.wireName()))))) {
                for (Map<String, AttributeValue> item : page.items()) {
                    changes.add(outcome(item.get(DynamoCatalog.KEY).s().substring(KIND.length() + 1), item));
                }
            }
            return changes;
        });
    }

    private static CommandOutcome outcome(String commandId, Map<String, AttributeValue> item) {
        String kind = text(item, "command");
        ControlCommand command = kind.isEmpty() ? null : new ControlCommand(CommandKind.fromWire(kind).orElseThrow(),
                item.containsKey(RIVER) ? RiverName.of(item.get(RIVER).s()) : null, item.containsKey(TOPIC) ? Topic.of(item.get(TOPIC).s()) : null, commandId,
                Instant.parse(item.get("issuedAt").s()));
        // items an rr before the ledger kept its commands have neither command nor time
        Instant at = item.containsKey("at") ? Instant.parse(item.get("at").s()) : null;
        return new CommandOutcome(commandId, Boolean.TRUE.equals(item.get("applied").bool()), item.get("eventType").s(),
                item.get("reason").s(), command, at, Boolean.TRUE.equals(item.containsKey("changed") ? item.get("changed").bool() : null));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }

    /** The outcomes in the ledger: one count-only scan of the catalog's outcome items. */
    public long count() {
        return AwsErrors.call("dynamodb:Scan", "DynamoDB table " + table, stage.value(), () -> {
            long count = 0;
            for (var page : dynamo.scanPaginator(b -> b.tableName(table).select(Select.COUNT)
                    .filterExpression("#k = :outcome").expressionAttributeNames(Map.of("#k", DynamoTraffic.KIND))
                    .expressionAttributeValues(Map.of(":outcome", AttributeValue.fromS(KIND))))) {
                count += page.count();
            }
            return count;
        });
    }

    @Override
    public Watch watch() {
        return watch.watch();
    }
}
