package org.rapidsrivers.hosts.aws;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.aws.operate.KinesisLag;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.plane.LeaseTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Understands what local hosts over Kinesis keep in the DynamoDB table {@code Leases-<stage>}, the way
 * the Kinesis Client Library keeps its lease table: one lease item per stream (holder, generation,
 * renewal counter, the holder's stamp), each change a conditional write; and one checkpoint item per
 * shard, written in one transaction with a check that the writer still holds its lease at its
 * generation, so a host that lost the lease cannot move a checkpoint. Lease items of an older rr (an
 * owner and an expiry, no generation) are read as generation 0 and taken over the same way.
 */
final class DynamoLeases implements LeaseTable {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Stage stage;

    DynamoLeases(DynamoDbClient dynamo, Stage stage) {
        this.dynamo = dynamo;
        this.table = stage.hostTable();
        this.stage = stage;
    }

    @Override
    public Optional<Row> read(String lease) {
        Map<String, AttributeValue> item = call("dynamodb:GetItem", () -> dynamo.getItem(b -> b.tableName(table)
                .key(key(lease)).consistentRead(true))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        long stamp = number(item, "stampedAt", number(item, "expiresAt", 0));
        return Optional.of(new Row(item.getOrDefault("owner", s("")).s(), number(item, "generation", 0),
                number(item, "renewals", 0), Instant.ofEpochMilli(stamp)));
    }

    @Override
    public OptionalLong take(String lease, String holder, Optional<Row> observed, Instant stamp) {
        long generation = observed.map(r -> r.generation() + 1).orElse(1L);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":me", s(holder), ":g", n(generation), ":stamp",
                n(stamp.toEpochMilli()), ":zero", n(0)));
        String condition;
        if (observed.isEmpty()) {
            condition = "attribute_not_exists(id)";
        } else if (observed.get().generation() == 0) {
            // an older rr's item: no generation, no counter
            condition = "#o = :was AND attribute_not_exists(generation)";
            values.put(":was", s(observed.get().holder()));
        } else {
            condition = "#o = :was AND generation = :wasGeneration AND renewals = :wasRenewals";
            values.put(":was", s(observed.get().holder()));
            values.put(":wasGeneration", n(observed.get().generation()));
            values.put(":wasRenewals", n(observed.get().renewals()));
        }
        try {
            call("dynamodb:UpdateItem", () -> dynamo.updateItem(b -> b.tableName(table).key(key(lease))
                    .updateExpression("SET #o = :me, generation = :g, renewals = :zero, stampedAt = :stamp REMOVE expiresAt")
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(values)));
            return OptionalLong.of(generation);
        } catch (ConditionalCheckFailedException changed) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean renew(String lease, String holder, long generation, Instant stamp) {
        try {
            call("dynamodb:UpdateItem", () -> dynamo.updateItem(b -> b.tableName(table).key(key(lease))
                    .updateExpression("SET renewals = renewals + :one, stampedAt = :stamp")
                    .conditionExpression("#o = :me AND generation = :g")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":one", n(1), ":stamp", n(stamp.toEpochMilli()), ":me", s(holder),
                            ":g", n(generation)))));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    @Override
    public void release(String lease, String holder, long generation) {
        try {
            call("dynamodb:UpdateItem", () -> dynamo.updateItem(b -> b.tableName(table).key(key(lease))
                    .updateExpression("SET #o = :nobody, renewals = renewals + :one")
                    .conditionExpression("#o = :me AND generation = :g")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":nobody", s(""), ":one", n(1), ":me", s(holder), ":g", n(generation)))));
        } catch (ConditionalCheckFailedException notOurs) {
            // someone took it over already
        }
    }

    Optional<String> checkpoint(String stream, String consumer, String shardId) {
        Map<String, AttributeValue> item = call("dynamodb:GetItem", () -> dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("id", s(KinesisLag.checkpointId(stream, consumer, shardId)))).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get("sequenceNumber").s());
    }

    /** Moves the shard's checkpoint if the fence still holds its lease; false when it no longer does. */
    boolean checkpoint(String stream, String consumer, String shardId, String sequenceNumber, Fence fence) {
        try {
            call("dynamodb:TransactWriteItems", () -> dynamo.transactWriteItems(b -> b.transactItems(
                    item -> item.conditionCheck(check -> check.tableName(table).key(key(fence.lease()))
                            .conditionExpression("#o = :me AND generation = :g")
                            .expressionAttributeNames(Map.of("#o", "owner"))
                            .expressionAttributeValues(Map.of(":me", s(fence.holder()), ":g", n(fence.generation())))),
                    item -> item.put(put -> put.tableName(table).item(Map.of(
                            "id", s(KinesisLag.checkpointId(stream, consumer, shardId)),
                            "sequenceNumber", s(sequenceNumber)))))));
            return true;
        } catch (TransactionCanceledException fenced) {
            return false;
        }
    }

    private Map<String, AttributeValue> key(String lease) {
        return Map.of("id", s("lease#" + lease));
    }

    private <T> T call(String action, Supplier<T> call) {
        return AwsErrors.call(action, "DynamoDB table " + table, stage.value(), call);
    }

    private static long number(Map<String, AttributeValue> item, String name, long otherwise) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? otherwise : Long.parseLong(value.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
