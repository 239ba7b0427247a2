package org.rapidsrivers.aws.tables;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.rapidsrivers.aws.AwsErrors;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.ports.Pond;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Understands one service's pond in the DynamoDB table {@code Ponds-<stage>} (key: service and key;
 * encrypted with the stage's key, on demand, point-in-time recovery where deployed): the value as JSON
 * text, reads consistent, conditional changes by condition expressions, so every instance of the service
 * on every host sees one pond. An entry's expiry is kept to the millisecond (expired entries read as
 * absent) and in seconds for DynamoDB's time to live, which deletes it within a day or two.
 */
public final class DynamoPond implements Pond {
    public static final String SERVICE = "service";
    public static final String KEY = "key";
    static final String VALUE = "value";
    static final String EXPIRES_MS = "expiresMs";
    public static final String TTL = "expiresAt";
    private static final String NOT_THERE_OR_EXPIRED = "attribute_not_exists(#k) OR (" + EXPIRES_MS + " BETWEEN :one AND :now)";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Stage stage;
    private final String service;
    private final Clock clock;

    public DynamoPond(DynamoDbClient dynamo, Stage stage, String service, Clock clock) {
        this.dynamo = dynamo;
        this.table = stage.pondTable();
        this.stage = stage;
        this.service = service;
        this.clock = clock;
    }

    @Override
    public Optional<JsonNode> get(String key) {
        return live(key).map(Json::parse);
    }

    @Override
    public void put(String key, JsonNode value, Duration keep) {
        Map<String, AttributeValue> item = item(key, Pond.check(key, value), Pond.expiresAt(clock, keep));
        call("dynamodb:PutItem", () -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    @Override
    public JsonNode putIfAbsent(String key, JsonNode value, Duration keep) {
        String text = Pond.check(key, value);
        while (true) {
            if (write(key, text, Pond.expiresAt(clock, keep), Optional.empty())) {
                return Json.parse(text);
            }
            Optional<String> held = live(key);
            if (held.isPresent()) {
                return Json.parse(held.get());
            }
            // it expired between the two calls: try again
        }
    }

    @Override
    public boolean compareAndSet(String key, Optional<JsonNode> expected, JsonNode value, Duration keep) {
        return write(key, Pond.check(key, value), Pond.expiresAt(clock, keep), expected.map(Json::compact));
    }

    @Override
    public void remove(String key) {
        call("dynamodb:DeleteItem", () -> dynamo.deleteItem(b -> b.tableName(table).key(key(key))));
    }

    @Override
    public SortedMap<String, JsonNode> withPrefix(String prefix) {
        long now = clock.millis();
        SortedMap<String, JsonNode> found = new TreeMap<>();
        call("dynamodb:Query", () -> {
            dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                            .keyConditionExpression("#s = :s AND begins_with(#k, :p)")
                            .expressionAttributeNames(Map.of("#s", SERVICE, "#k", KEY))
                            .expressionAttributeValues(Map.of(":s", s(service), ":p", s(prefix))))
                    .items().forEach(item -> {
                        if (alive(item, now)) {
                            found.put(item.get(KEY).s(), Json.parse(item.get(VALUE).s()));
                        }
                    });
            return null;
        });
        return found;
    }

    /** Writes if the key holds {@code expected} (empty: nothing, or an expired entry); false when it did not. */
    private boolean write(String key, String text, long expires, Optional<String> expected) {
        Map<String, String> names = Map.of("#k", KEY);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", n(1), ":now", n(clock.millis())));
        String condition = NOT_THERE_OR_EXPIRED;
        if (expected.isPresent()) {
            condition = "#v = :expected AND (" + EXPIRES_MS + " = :zero OR " + EXPIRES_MS + " > :now)";
            names = Map.of("#v", VALUE);
            values = new HashMap<>(Map.of(":expected", s(expected.get()), ":zero", n(0), ":now", n(clock.millis())));
        }
        String conditionExpression = condition;
        Map<String, String> attributeNames = names;
        Map<String, AttributeValue> attributeValues = values;
        try {
            call("dynamodb:PutItem", () -> dynamo.putItem(b -> b.tableName(table).item(item(key, text, expires))
                    .conditionExpression(conditionExpression).expressionAttributeNames(attributeNames)
                    .expressionAttributeValues(attributeValues)));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    private Optional<String> live(String key) {
        Map<String, AttributeValue> item = call("dynamodb:GetItem", () -> dynamo.getItem(b -> b.tableName(table)
                .key(key(key)).consistentRead(true))).item();
        return item == null || item.isEmpty() || !alive(item, clock.millis()) ? Optional.empty()
                : Optional.of(item.get(VALUE).s());
    }

    private static boolean alive(Map<String, AttributeValue> item, long now) {
        long expires = item.containsKey(EXPIRES_MS) ? Long.parseLong(item.get(EXPIRES_MS).n()) : 0;
        return expires == 0 || expires > now;
    }

    private Map<String, AttributeValue> item(String key, String text, long expires) {
        Map<String, AttributeValue> item = new HashMap<>(key(key));
        item.put(VALUE, s(text));
        item.put(EXPIRES_MS, n(expires));
        if (expires > 0) {
            item.put(TTL, n(expires / 1000 + 1));
        }
        return item;
    }

    private Map<String, AttributeValue> key(String key) {
        return Map.of(SERVICE, s(service), KEY, s(key));
    }

    /** An AWS failure as one line; a table of another shape is named as such. */
    private <T> T call(String action, Supplier<T> call) {
        try {
            return AwsErrors.call(action, "DynamoDB table " + table, stage.value(), call);
        } catch (AwsServiceException refused) {
            String message = String.valueOf(refused.getMessage());
            if (refused.statusCode() == 400 && message.contains("key element does not match the schema")) {
                throw new BackendUnavailable("DynamoDB table " + table + " is not an rr pond table (its key is not '"
                        + SERVICE + "' and '" + KEY + "'): delete it and run rr provision, or use another stage", refused);
            }
            throw refused;
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
