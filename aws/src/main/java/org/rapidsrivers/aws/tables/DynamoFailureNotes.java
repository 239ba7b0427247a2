package org.rapidsrivers.aws.tables;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.plane.FailureNotes;
import org.rapidsrivers.core.plane.StreamRecord;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Understands why a plane failed a record, on AWS: an item of the catalog table keyed {@code failure <consumer>
 * <shardId> <sequenceNumber>} with the reason, the newest failure kept, expiring (the table's time to live) a
 * day after the stream could still hold the record. The fan-out's role may write only its own such items.
 */
public final class DynamoFailureNotes implements FailureNotes {
    public static final String FAILURE = "failure";
    /** Longer than the stream keeps a record (7 days), so a dead letter's record and its note go together. */
    static final Duration KEPT = Duration.ofDays(8);
    /** The longest reason kept: an exception's message can be a page long. */
    static final int LONGEST = 1_000;

    private final DynamoDbClient dynamo;
    private final Stage stage;
    private final String table;
    private final Clock clock;

    public DynamoFailureNotes(DynamoDbClient dynamo, Stage stage, Clock clock) {
        this.dynamo = dynamo;
        this.stage = stage;
        this.table = stage.catalogTable();
        this.clock = clock;
    }

    public static String key(String consumer, String shardId, String sequenceNumber) {
        return FAILURE + " " + consumer + " " + shardId + " " + sequenceNumber;
    }

    @Override
    public void note(String consumer, StreamRecord record, String reason) {
        String kept = reason == null ? "" : reason.length() > LONGEST ? reason.substring(0, LONGEST) + "... (cut)" : reason;
        AwsErrors.call("dynamodb:PutItem", "DynamoDB table " + table, stage.value(), () -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(DynamoCatalog.KEY, AttributeValue.fromS(key(consumer, record.shardId(), record.sequenceNumber())),
                        DynamoTraffic.KIND, AttributeValue.fromS(FAILURE),
                        "reason", AttributeValue.fromS(kept),
                        "atMs", AttributeValue.fromN(Long.toString(clock.millis())),
                        "expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(KEPT).getEpochSecond()))))));
    }

    /** The reason the plane last failed that record with, if it noted one. */
    public Optional<String> of(String consumer, String shardId, String sequenceNumber) {
        Map<String, AttributeValue> item = AwsErrors.call("dynamodb:GetItem", "DynamoDB table " + table, stage.value(),
                () -> dynamo.getItem(b -> b.tableName(table).key(Map.of(DynamoCatalog.KEY,
                        AttributeValue.fromS(key(consumer, shardId, sequenceNumber))))).item());
        return item == null || !item.containsKey("reason") ? Optional.empty() : Optional.of(item.get("reason").s());
    }
}
