package org.rapidsrivers.aws.tables;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.operate.TrafficNotes;
import org.rapidsrivers.core.plane.TrafficRecorder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Understands the traffic notes on AWS: items of the catalog table whose key is {@code seen <domain>
 * <type>} (a topic has no spaces, so they never meet a topic) marked {@code kind = seen}; one UpdateItem
 * per publisher and type in a batch, the count added atomically.
 */
public final class DynamoTraffic implements TrafficRecorder {
    static final String KIND = "kind";
    public static final String SEEN = "seen";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Stage stage;

    public DynamoTraffic(DynamoDbClient dynamo, Stage stage) {
        this.dynamo = dynamo;
        this.table = stage.catalogTable();
        this.stage = stage;
    }

    @Override
    public void record(List<Event> routed) {
        for (Traffic sum : TrafficNotes.sum(routed)) {
            Map<String, AttributeValue> values = new HashMap<>(Map.of(
                    ":kind", AttributeValue.fromS(SEEN),
                    ":domain", AttributeValue.fromS(sum.domain()),
                    ":type", AttributeValue.fromS(sum.type().value()),
                    ":n", AttributeValue.fromN(Long.toString(sum.count())),
                    ":last", AttributeValue.fromN(Long.toString(sum.last().toEpochMilli()))));
            String update = "SET #k = :kind, #d = :domain, #ty = :type, lastMs = :last ADD #c :n";
            if (sum.lastPayload().isPresent()) {
                values.put(":payload", AttributeValue.fromS(sum.lastPayload().get()));
                update = "SET #k = :kind, #d = :domain, #ty = :type, lastMs = :last, lastPayload = :payload ADD #c :n";
            }
            String expression = update;
            AwsErrors.call("dynamodb:UpdateItem", "DynamoDB table " + table, stage.value(), () -> dynamo.updateItem(b -> b
                    .tableName(table)
                    .key(Map.of(DynamoCatalog.KEY, AttributeValue.fromS(SEEN + " " + sum.domain() + " " + sum.type().value())))
                    .updateExpression(expression)
                    .expressionAttributeNames(Map.of("#k", KIND, "#d", "domain", "#ty", "type", "#c", "count"))
                    .expressionAttributeValues(values)));
        }
    }

    public List<Traffic> all() {
        List<Traffic> all = new ArrayList<>();
        AwsErrors.call("dynamodb:Scan", "DynamoDB table " + table, stage.value(), () -> {
            dynamo.scanPaginator(b -> b.tableName(table).filterExpression("#k = :seen")
                    .expressionAttributeNames(Map.of("#k", KIND))
                    .expressionAttributeValues(Map.of(":seen", AttributeValue.fromS(SEEN)))).items()
                    .forEach(item -> all.add(new Traffic(item.get("domain").s(), Topic.of(item.get("type").s()),
                            Long.parseLong(item.get("count").n()), Instant.ofEpochMilli(Long.parseLong(item.get("lastMs").n())),
                            Optional.ofNullable(item.get("lastPayload")).map(AttributeValue::s))));
            return null;
        });
        all.sort(Comparator.comparing(Traffic::domain).thenComparing(Traffic::type));
        return all;
    }
}
