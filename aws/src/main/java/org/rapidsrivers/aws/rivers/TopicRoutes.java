package org.rapidsrivers.aws.rivers;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Understands the routing table: which event types have a river on each of the stage's extra topics, so the
 * fan-out publishes an event there only when a river there wants it (the rapids topic receives every event). The
 * control plane keeps it in the catalog table, before a river's subscription lets a type through and after it
 * stops: an item {@code route <topic>} with a string set per type of the rivers there that want it (adding or
 * deleting a river twice changes nothing, so a command applied again is harmless), and one item
 * {@code routing table}, per topic the types that have a river, which is all the fan-out reads: one consistent
 * GetItem a batch, so an event published after a subscription's outcome finds its route.
 */
public final class TopicRoutes {
    static final String KEY = "topic";
    static final String KIND = "kind";
    public static final String TABLE_ITEM = "routing table";
    static final String TOPIC_ITEM = "route ";
    static final String TYPE = "type ";

    private final DynamoDbClient dynamo;
    private final Stage stage;
    private final String table;

    public TopicRoutes(DynamoDbClient dynamo, Stage stage) {
        this.dynamo = dynamo;
        this.stage = stage;
        this.table = stage.catalogTable();
    }

    /** {@code river}, on {@code topic}, wants {@code type}. */
    public void add(String topic, Topic type, RiverName river) {
        change(topic, type, river, "ADD");
    }

    /** {@code river}, on {@code topic}, no longer wants {@code type}. */
    public void remove(String topic, Topic type, RiverName river) {
        change(topic, type, river, "DELETE");
    }

    /** Each extra topic's types that have a river there; a topic no river of which wants anything is left out. */
    public Map<String, Set<String>> read() {
        Map<String, AttributeValue> item = AwsErrors.call("dynamodb:GetItem", "DynamoDB table " + table, stage.value(),
                () -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of(KEY, AttributeValue.fromS(TABLE_ITEM)))).item());
        Map<String, Set<String>> routes = new TreeMap<>();
        if (item != null) {
            item.forEach((name, value) -> {
                if (!name.equals(KEY) && !name.equals(KIND) && value.hasSs() && !value.ss().isEmpty()) {
                    routes.put(name, Set.copyOf(value.ss()));
                }
            });
        }
        return routes;
    }

    private void change(String topic, Topic type, RiverName river, String action) {
        Map<String, AttributeValue> after = AwsErrors.call("dynamodb:UpdateItem", "DynamoDB table " + table, stage.value(),
                () -> dynamo.updateItem(b -> b.tableName(table).key(Map.of(KEY, AttributeValue.fromS(TOPIC_ITEM + topic)))
                        .updateExpression("SET #k = :kind " + action + " #t :r")
                        .expressionAttributeNames(Map.of("#k", KIND, "#t", TYPE + type.value()))
                        .expressionAttributeValues(Map.of(":kind", AttributeValue.fromS("route"),
                                ":r", AttributeValue.fromSs(List.of(river.value()))))
                        .returnValues(ReturnValue.ALL_NEW)).attributes());
        SortedSet<String> types = new TreeSet<>();
        after.forEach((name, value) -> {
            if (name.startsWith(TYPE) && value.hasSs() && !value.ss().isEmpty()) {
                types.add(name.substring(TYPE.length()));
            }
        });
        boolean none = types.isEmpty();
        AwsErrors.call("dynamodb:UpdateItem", "DynamoDB table " + table, stage.value(),
                () -> dynamo.updateItem(b -> b.tableName(table).key(Map.of(KEY, AttributeValue.fromS(TABLE_ITEM)))
                        .updateExpression(none ? "SET #k = :kind REMOVE #topic" : "SET #k = :kind, #topic = :types")
                        .expressionAttributeNames(Map.of("#k", KIND, "#topic", topic))
                        .expressionAttributeValues(none ? Map.of(":kind", AttributeValue.fromS("route"))
                                : Map.of(":kind", AttributeValue.fromS("route"), ":types", AttributeValue.fromSs(List.copyOf(types))))));
    }

    /** Forgets a topic that is gone (rr remove). */
    public void forget(String topic) {
        AwsErrors.call("dynamodb:DeleteItem", "DynamoDB table " + table, stage.value(),
                () -> dynamo.deleteItem(b -> b.tableName(table).key(Map.of(KEY, AttributeValue.fromS(TOPIC_ITEM + topic)))));
        AwsErrors.call("dynamodb:UpdateItem", "DynamoDB table " + table, stage.value(),
                () -> dynamo.updateItem(b -> b.tableName(table).key(Map.of(KEY, AttributeValue.fromS(TABLE_ITEM)))
                        .updateExpression("SET #k = :kind REMOVE #topic")
                        .expressionAttributeNames(Map.of("#k", KIND, "#topic", topic))
                        .expressionAttributeValues(Map.of(":kind", AttributeValue.fromS("route")))));
    }
}
