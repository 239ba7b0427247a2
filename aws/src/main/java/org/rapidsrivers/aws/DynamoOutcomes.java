package org.rapidsrivers.aws;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.core.control.CommandOutcome;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.OutcomeLedger;
import org.rapidsrivers.core.ports.Outcomes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Understands the outcomes of control commands on AWS as the control plane's ledger: one item per command
 * in the catalog table ({@code outcome <commandId>}), written by the control plane before its outcome events
 * go on the rapids, and read by whoever waits for a command. Only the control plane's role (and an
 * administrator) may write the catalog, while any producer may put events on the rapids: so a watcher here
 * trusts an outcome only from the ledger, and a forged {@code RiverSubscribed} on the rapids confirms nothing.
 */
final class DynamoOutcomes implements Outcomes, OutcomeLedger {
    static final String KIND = "outcome";
    private static final Duration FIRST_LOOK = Duration.ofMillis(50);
    private static final Duration MOST_BETWEEN_LOOKS = Duration.ofMillis(250);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Stage stage;

    DynamoOutcomes(DynamoDbClient dynamo, Stage stage) {
        this.dynamo = dynamo;
        this.table = stage.catalogTable();
        this.stage = stage;
    }

    static String key(String commandId) {
        return KIND + " " + commandId;
    }

    @Override
    public void record(List<CommandOutcome> outcomes) {
        for (CommandOutcome outcome : outcomes) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(DynamoCatalog.KEY, AttributeValue.fromS(key(outcome.commandId())));
            item.put(DynamoTraffic.KIND, AttributeValue.fromS(KIND));
            item.put("applied", AttributeValue.fromBool(outcome.applied()));
            item.put("eventType", AttributeValue.fromS(outcome.eventType()));
            item.put("reason", AttributeValue.fromS(outcome.reason()));
            AwsErrors.call("dynamodb:PutItem", "DynamoDB table " + table, stage.value(),
                    () -> dynamo.putItem(b -> b.tableName(table).item(item)));
        }
    }

    /** The outcomes in the ledger: one count-only scan of the catalog's outcome items. */
    long count() {
        return AwsErrors.call("dynamodb:Scan", "DynamoDB table " + table, stage.value(), () -> {
            long count = 0;
            for (var page : dynamo.scanPaginator(b -> b.tableName(table).select(software.amazon.awssdk.services.dynamodb.model.Select.COUNT)
                    .filterExpression("#k = :outcome").expressionAttributeNames(Map.of("#k", DynamoTraffic.KIND))
                    .expressionAttributeValues(Map.of(":outcome", AttributeValue.fromS(KIND))))) {
                count += page.count();
            }
            return count;
        });
    }

    @Override
    public Watch watch() {
        return new Watch() {
            @Override
            public Optional<CommandOutcome> await(String commandId, Duration timeout) {
                long deadline = System.nanoTime() + timeout.toNanos();
                Duration pause = FIRST_LOOK;
                while (true) {
                    Optional<CommandOutcome> found = read(commandId);
                    if (found.isPresent()) {
                        return found;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    try {
                        Thread.sleep(Math.max(1, Math.min(pause.toMillis(), left / 1_000_000)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                    pause = pause.multipliedBy(2).compareTo(MOST_BETWEEN_LOOKS) > 0 ? MOST_BETWEEN_LOOKS : pause.multipliedBy(2);
                }
            }

            @Override
            public void close() {
                // nothing held between looks
            }
        };
    }

    private Optional<CommandOutcome> read(String commandId) {
        Map<String, AttributeValue> item = AwsErrors.call("dynamodb:GetItem", "DynamoDB table " + table, stage.value(),
                () -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of(DynamoCatalog.KEY, AttributeValue.fromS(key(commandId)))))).item();
        if (item == null || item.isEmpty() || !KIND.equals(item.getOrDefault(DynamoTraffic.KIND, AttributeValue.fromS("")).s())) {
            return Optional.empty();
        }
        return Optional.of(new CommandOutcome(commandId, Boolean.TRUE.equals(item.get("applied").bool()),
                item.get("eventType").s(), item.get("reason").s()));
    }
}
