package org.rapidsrivers.aws.tables;

import org.rapidsrivers.aws.AwsErrors;

import java.time.Clock;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.ports.Catalog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Understands the catalog as the DynamoDB table {@code Topics-<stage>}, one item per topic keyed by
 * {@code topic}: durable, cheap at this size (on demand), and readable by anyone with the table's ARN.
 * Advertising again keeps the first advertisedAt.
 */
public final class DynamoCatalog implements Catalog {
    public static final String KEY = "topic";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Stage stage;
    private final Clock clock;

    public DynamoCatalog(DynamoDbClient dynamo, Stage stage, Clock clock) {
        this.dynamo = dynamo;
        this.table = stage.catalogTable();
        this.stage = stage;
        this.clock = clock;
    }

    @Override
    public boolean advertise(Topic topic) {
        try {
            AwsErrors.call("dynamodb:PutItem", "DynamoDB table " + table, stage.value(), () -> dynamo.putItem(b -> b
                    .tableName(table)
                    .item(Map.of(KEY, AttributeValue.fromS(topic.value()),
                            "advertisedAt", AttributeValue.fromS(Timestamps.format(clock.instant()))))
                    .conditionExpression("attribute_not_exists(#t)")
                    .expressionAttributeNames(Map.of("#t", KEY))));
            return true;
        } catch (ConditionalCheckFailedException alreadyThere) {
            // idempotent: the topic was advertised before
            return false;
        }
    }

    private String topicOf(Map<String, AttributeValue> item) {
        AttributeValue topic = item.get(KEY);
        if (topic == null || topic.s() == null) {
            throw new BackendUnavailable("DynamoDB table " + table + " is not an rr catalog: an item has no string '"
                    + KEY + "' (another program's table?); delete it and run rr provision, or use another stage");
        }
        return topic.s();
    }

    @Override
    public SortedSet<Topic> topics() {
        SortedSet<Topic> topics = new TreeSet<>();
        AwsErrors.call("dynamodb:Scan", "DynamoDB table " + table, stage.value(), () -> {
            // the traffic notes share the table; they are not topics
            dynamo.scanPaginator(b -> b.tableName(table).projectionExpression("#t")
                    .filterExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#t", KEY, "#k", DynamoTraffic.KIND))).items()
                    .forEach(item -> topics.add(Topic.of(topicOf(item))));
            return null;
        });
        return topics;
    }
}
