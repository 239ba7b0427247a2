package org.rapidsrivers.core.ports;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.json.Json;

/**
 * Understands a service's pond: what it learned and keeps, shared by every instance of the service and
 * kept across restarts. Keys map to JSON values, each kept forever or until an expiry; a change that
 * two instances could race is made conditionally ({@link #putIfAbsent}, {@link #compareAndSet}), so one
 * of them wins and the other learns it. An entry past its expiry reads as absent. The backend chooses
 * where it lives: the stage's database embedded, a DynamoDB table on AWS, memory in TestRapids.
 */
public interface Pond {
    /** Kept until removed. */
    Duration FOREVER = Duration.ZERO;
    /** Keys are at most this long (a DynamoDB sort key holds 1,024 bytes). */
    int MAX_KEY = 512;
    /** A value is at most this long as JSON text (a DynamoDB item holds 400 KB). */
    int MAX_VALUE = 350 * 1024;

    Optional<JsonNode> get(String key);

    /** Keeps the value for {@code keep} from now ({@link #FOREVER}: until removed). */
    void put(String key, JsonNode value, Duration keep);

    default void put(String key, JsonNode value) {
        put(key, value, FOREVER);
    }

    /** Keeps the value only if the key holds none; the value the key holds afterwards (this one, or the winner's). */
    JsonNode putIfAbsent(String key, JsonNode value, Duration keep);

    default JsonNode putIfAbsent(String key, JsonNode value) {
        return putIfAbsent(key, value, FOREVER);
    }

    /**
     * Replaces the value only if the key holds exactly {@code expected} (empty: holds nothing); true when it
     * did, false when another instance changed it first (read it again and decide again).
     */
    boolean compareAndSet(String key, Optional<JsonNode> expected, JsonNode value, Duration keep);

    void remove(String key);

    /** Every live entry whose key starts with the prefix, in key order. */
    SortedMap<String, JsonNode> withPrefix(String prefix);

    /** A pond in memory, for TestRapids and unit tests: expiry by the clock given. */
    static Pond inMemory(Clock clock) {
        return new MemoryPond(clock);
    }

    /** Parses a value given as text; one line names what is wrong when it is not JSON. */
    static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (RuntimeException notJson) {
            throw new InvalidInput("a pond value must be JSON (a string in quotes, a number, an object...): "
                    + Printable.of(notJson.getMessage()));
        }
    }

    /** Checks a key and a value before anything is written: one line says what is allowed. */
    static String check(String key, JsonNode value) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
            throw new InvalidInput("a pond key must be 1-" + MAX_KEY + " characters");
        }
        if (value == null) {
            throw new InvalidInput("a pond value must be JSON, not nothing (remove the key instead)");
        }
        String text = Json.compact(value);
        if (text.length() > MAX_VALUE) {
            throw new InvalidInput("a pond value is at most " + MAX_VALUE / 1024 + " KiB as JSON; this one is "
                    + text.length() / 1024 + " KiB (keep large things elsewhere and their key here)");
        }
        return text;
    }

    /** When a value kept for {@code keep} from {@code now} expires, in epoch milliseconds (0: never). */
    static long expiresAt(Clock clock, Duration keep) {
        if (keep.isNegative()) {
            throw new InvalidInput("a pond entry cannot be kept for a negative time");
        }
        return keep.isZero() ? 0 : clock.millis() + keep.toMillis();
    }
}
