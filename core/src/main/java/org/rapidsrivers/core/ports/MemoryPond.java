package org.rapidsrivers.core.ports;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.rapidsrivers.core.json.Json;

/** Understands a pond in memory: the same rules as the others (JSON values, expiry, conditional changes), no disk. */
final class MemoryPond implements Pond {
    private final Clock clock;
    private final Map<String, Entry> entries = new TreeMap<>();

    MemoryPond(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Optional<JsonNode> get(String key) {
        return live(key).map(e -> Json.parse(e.text()));
    }

    @Override
    public synchronized void put(String key, JsonNode value, Duration keep) {
        entries.put(key, new Entry(Pond.check(key, value), Pond.expiresAt(clock, keep)));
    }

    @Override
    public synchronized JsonNode putIfAbsent(String key, JsonNode value, Duration keep) {
        String text = Pond.check(key, value);
        Optional<Entry> held = live(key);
        if (held.isPresent()) {
            return Json.parse(held.get().text());
        }
        entries.put(key, new Entry(text, Pond.expiresAt(clock, keep)));
        return Json.parse(text);
    }

    @Override
    public synchronized boolean compareAndSet(String key, Optional<JsonNode> expected, JsonNode value, Duration keep) {
        String text = Pond.check(key, value);
        Optional<String> now = live(key).map(Entry::text);
        if (!now.equals(expected.map(Json::compact))) {
            return false;
        }
        entries.put(key, new Entry(text, Pond.expiresAt(clock, keep)));
        return true;
    }

    @Override
    public synchronized void remove(String key) {
        entries.remove(key);
    }

    @Override
    public synchronized SortedMap<String, JsonNode> withPrefix(String prefix) {
        SortedMap<String, JsonNode> found = new TreeMap<>();
        entries.forEach((key, entry) -> {
            if (key.startsWith(prefix) && alive(entry)) {
                found.put(key, Json.parse(entry.text()));
            }
        });
        return found;
    }

    private Optional<Entry> live(String key) {
        return Optional.ofNullable(entries.get(key)).filter(this::alive);
    }

    private boolean alive(Entry entry) {
        return entry.expiresMs() == 0 || entry.expiresMs() > clock.millis();
    }

    private record Entry(String text, long expiresMs) {
    }
}
