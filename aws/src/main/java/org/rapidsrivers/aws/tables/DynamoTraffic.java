package org.rapidsrivers.aws.tables;

import java.time.Duration;
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
import org.rapidsrivers.core.operate.InstanceNote;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.operate.TrafficNotes;
import org.rapidsrivers.core.plane.TrafficRecorder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Understands the traffic notes on AWS: items of the catalog table whose key is {@code seen <domain>
 * <type>} (a topic has no spaces, so they never meet a topic) marked {@code kind = seen}; one UpdateItem
 * per publisher and type in a batch, the count added atomically. Each service instance's newest word of
 * itself is an item {@code instance <service> <instanceId>} marked {@code kind = instance}, expiring by the
 * table's time to live a day after it last spoke.
 */
public final class DynamoTraffic implements TrafficRecorder {
    static final String KIND = "kind";
    public static final String SEEN = "seen";
    /** The kind of an instance's note: key {@code instance <service> <instanceId>}. */
    public static final String INSTANCE = "instance";
    /** A note of an instance expires (the table's time to live) this long after it last spoke. */
    static final Duration FORGOTTEN_AFTER = Duration.ofDays(1);

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
        TrafficNotes.instances(routed).forEach(this::note);
    }

    /** The newest word of each instance: a note older than the one kept changes nothing (a condition). */
    private void note(InstanceNote instance) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":kind", AttributeValue.fromS(INSTANCE),
                ":service", AttributeValue.fromS(instance.service()),
                ":id", AttributeValue.fromS(instance.instanceId()),
                ":state", AttributeValue.fromS(instance.state().name()),
                ":started", AttributeValue.fromN(Long.toString(instance.startedAt().toEpochMilli())),
                ":last", AttributeValue.fromN(Long.toString(instance.lastAt().toEpochMilli())),
                ":payload", AttributeValue.fromS(instance.payload()),
                ":expires", AttributeValue.fromN(Long.toString(instance.lastAt().plus(FORGOTTEN_AFTER).getEpochSecond()))));
        try {
            AwsErrors.call("dynamodb:UpdateItem", "DynamoDB table " + table, stage.value(), () -> dynamo.updateItem(b -> b
                    .tableName(table)
                    .key(Map.of(DynamoCatalog.KEY, AttributeValue.fromS(INSTANCE + " " + instance.service() + " " + instance.instanceId())))
                    .updateExpression("SET #k = :kind, service = :service, instanceId = :id, #s = :state, startedMs = :started,"
                            + " lastMs = :last, lastPayload = :payload, expiresAt = :expires")
                    .conditionExpression("attribute_not_exists(lastMs) OR lastMs <= :last")
                    .expressionAttributeNames(Map.of("#k", KIND, "#s", "state"))
                    .expressionAttributeValues(values)));
        } catch (ConditionalCheckFailedException newerKept) {
            // a later word of this instance was noted first (another shard's batch): it stays
        }
    }

    public List<InstanceNote> instances() {
        List<InstanceNote> all = new ArrayList<>();
        AwsErrors.call("dynamodb:Scan", "DynamoDB table " + table, stage.value(), () -> {
            dynamo.scanPaginator(b -> b.tableName(table).filterExpression("#k = :instance")
                    .expressionAttributeNames(Map.of("#k", KIND))
                    .expressionAttributeValues(Map.of(":instance", AttributeValue.fromS(INSTANCE)))).items()
                    .forEach(item -> {
                        try {
                            all.add(new InstanceNote(item.get("service").s(), item.get("instanceId").s(),
                                    InstanceNote.State.valueOf(item.get("state").s()),
                                    Instant.ofEpochMilli(Long.parseLong(item.get("startedMs").n())),
                                    Instant.ofEpochMilli(Long.parseLong(item.get("lastMs").n())), item.get("lastPayload").s()));
                        } catch (RuntimeException notOurs) {
                            // an item this rr did not write is no instance of a service
                        }
                    });
            return null;
        });
        all.sort(Comparator.comparing(InstanceNote::service).thenComparing(InstanceNote::startedAt));
        return all;
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
