package org.rapidsrivers.hosts;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.names.Stage;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Understands what a local host over Kinesis must remember across restarts and share with other
 * hosts, kept in the DynamoDB table {@code Leases-<stage>} the way the Kinesis Client Library keeps
 * its lease table: one lease per stream (who may process it, until when) and one checkpoint per
 * shard (the last sequence number processed).
 */
final class DynamoHostState {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Stage stage;
    private final Clock clock;

    DynamoHostState(DynamoDbClient dynamo, Stage stage, Clock clock) {
        this.dynamo = dynamo;
        this.table = stage.hostTable();
        this.stage = stage;
        this.clock = clock;
    }

    /** Takes or renews the lease unless someone else holds it and it has not expired. */
    boolean holdOrTake(String lease, String owner, Duration ttl) {
        long now = clock.millis();
        try {
            AwsErrors.call("dynamodb:PutItem", "DynamoDB table " + table, stage.value(), () -> dynamo.putItem(b -> b
                    .tableName(table)
                    .item(Map.of("id", s("lease#" + lease), "owner", s(owner),
                            "expiresAt", AttributeValue.fromN(Long.toString(now + ttl.toMillis()))))
                    .conditionExpression("attribute_not_exists(id) OR #o = :me OR expiresAt < :now")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":me", s(owner), ":now", AttributeValue.fromN(Long.toString(now))))));
            return true;
        } catch (ConditionalCheckFailedException heldElsewhere) {
            return false;
        }
    }

    void release(String lease, String owner) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("id", s("lease#" + lease)))
                    .conditionExpression("#o = :me")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":me", s(owner))));
        } catch (ConditionalCheckFailedException notOurs) {
            // someone took it over already
        }
    }

    Optional<String> checkpoint(String key) {
        Map<String, AttributeValue> item = AwsErrors.call("dynamodb:GetItem", "DynamoDB table " + table, stage.value(),
                () -> dynamo.getItem(b -> b.tableName(table).key(Map.of("id", s(key))).consistentRead(true)))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get("sequenceNumber").s());
    }

    void checkpoint(String key, String sequenceNumber) {
        AwsErrors.call("dynamodb:PutItem", "DynamoDB table " + table, stage.value(), () -> dynamo.putItem(b -> b
                .tableName(table)
                .item(Map.of("id", s(key), "sequenceNumber", s(sequenceNumber)))));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
