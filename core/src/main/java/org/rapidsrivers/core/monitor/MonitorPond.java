package org.rapidsrivers.core.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands where a stage keeps its monitors: the monitor service's pond, which every instance, every
 * process and both backends share (the stage's database, DynamoDB). {@code def/<name>}: the rule and when it
 * was added; {@code state/<name>}: what the service last said; {@code started/<name>/<chain>},
 * {@code met/<name>/<chain>} and {@code seen/<name>/<eventId>}: what its window holds, each kept only as
 * long as a window can need it.
 */
public final class MonitorPond {
    /** The monitor service's name: its river's and its pond's. */
    public static final String SERVICE = "monitor";
    public static final String ADDED = "MonitorAdded";
    public static final String REMOVED = "MonitorRemoved";
    public static final String BREACHED = "MonitorBreached";
    public static final String RECOVERED = "MonitorRecovered";
    /** The metrics' namespace is this and the stage; the stage-wide MonitorBreached is what the planes' alarm watches. */
    public static final String METRICS_NAMESPACE = "RapidsRivers/";
    public static final String BREACHED_METRIC = "MonitorBreached";
    /** How long past its window an entry is kept (a restart's catch-up still finds it). */
    static final Duration SPARE = Duration.ofMinutes(2);
    /** The longest id kept as it is in a key ("started/" + a 64-character name + "/" + this stays within a pond key). */
    static final int MAX_ID = 256;

    private final Pond pond;

    public MonitorPond(Pond pond) {
        this.pond = pond;
    }

    /** A monitor as the stage keeps it: its rule and when it was added. */
    public record Definition(MonitorRule rule, Instant addedAt) {
    }

    /** Every monitor, by name; one the pond holds but that no longer parses is said to {@code unreadable} and left out. */
    public List<Definition> definitions(Consumer<String> unreadable) {
        List<Definition> found = new ArrayList<>();
        pond.withPrefix("def/").forEach((key, value) -> {
            try {
                found.add(definition(value));
            } catch (RuntimeException broken) {
                unreadable.accept("monitor " + key.substring(4) + " cannot be read: " + broken.getMessage());
            }
        });
        return found;
    }

    public Optional<Definition> definition(String name) {
        return pond.get("def/" + name).map(MonitorPond::definition);
    }

    private static Definition definition(JsonNode value) {
        List<String> words = new ArrayList<>();
        value.path("words").forEach(word -> words.add(word.asText()));
        return new Definition(MonitorRule.parse(value.path("name").asText(), words), Instant.parse(value.path("addedAt").asText()));
    }

    /**
     * Adds the monitor unless one of its name exists: true when added; the same rule again is false (nothing to
     * do); another rule under the name is one line, nothing stored.
     */
    public boolean add(MonitorRule rule, Instant at) {
        var value = Json.object().put("name", rule.name()).put("addedAt", at.toString());
        rule.words().forEach(value.putArray("words")::add);
        JsonNode kept = pond.putIfAbsent("def/" + rule.name(), value);
        if (kept.equals(value)) {
            return true;
        }
        requireNoOther(rule, definition(kept));
        return false;
    }

    /** Refuses, in one line, a rule under a name that holds another (the same rule again is no change). */
    public static void requireNoOther(MonitorRule rule, Definition existing) {
        if (!existing.rule().text().equals(rule.text())) {
            throw new InvalidInput("a monitor named " + rule.name() + " exists (" + existing.rule().text() + "): rr monitor"
                    + " remove " + rule.name() + " first, or choose another name");
        }
    }

    /** Removes the monitor and everything its window held; false when there was none. */
    public boolean remove(String name) {
        boolean existed = pond.get("def/" + name).isPresent();
        pond.remove("def/" + name);
        pond.remove("state/" + name);
        for (String prefix : List.of("started/", "met/", "seen/")) {
            pond.withPrefix(prefix + name + "/").keySet().forEach(pond::remove);
        }
        return existed;
    }

    public Optional<MonitorState> state(String name) {
        return pond.get("state/" + name).map(MonitorState::fromJson);
    }

    /** Replaces the state only if it is still {@code before}: the instance that wins says the change. */
    public boolean replaceState(String name, Optional<MonitorState> before, MonitorState after) {
        return pond.compareAndSet("state/" + name, before.map(MonitorState::toJson), after.toJson(), Pond.FOREVER);
    }

    /**
     * A chain's or an event's part of a key: the id itself, or for one too long for a pond key (any producer
     * chooses its ids) {@code #} and its SHA-256, so such an event is counted, not refused again and again.
     */
    static String keyOf(String id) {
        if (id.length() <= MAX_ID) {
            return id;
        }
        try {
            return "#" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException never) {
            throw new IllegalStateException("every Java has SHA-256", never);
        }
    }

    /** A chain started (the first start counts). */
    public void started(MonitorRule rule, String chain, Instant at) {
        pond.putIfAbsent("started/" + rule.name() + "/" + keyOf(chain), Json.object().put("at", at.toEpochMilli()), keep(rule));
    }

    /** A chain got what it expected (the first time counts). */
    public void met(MonitorRule rule, String chain, Instant at) {
        pond.putIfAbsent("met/" + rule.name() + "/" + keyOf(chain), Json.object().put("at", at.toEpochMilli()), keep(rule));
    }

    /** An event a rate or an absence counts. */
    public void seen(MonitorRule rule, String eventId, Instant at) {
        pond.putIfAbsent("seen/" + rule.name() + "/" + keyOf(eventId), Json.object().put("at", at.toEpochMilli()), keep(rule));
    }

    public Map<String, Long> started(String name) {
        return times("started/" + name + "/");
    }

    public Map<String, Long> met(String name) {
        return times("met/" + name + "/");
    }

    public Map<String, Long> seen(String name) {
        return times("seen/" + name + "/");
    }

    private Map<String, Long> times(String prefix) {
        Map<String, Long> times = new LinkedHashMap<>();
        pond.withPrefix(prefix).forEach((key, value) -> times.put(key.substring(prefix.length()), value.path("at").asLong()));
        return times;
    }

    private static Duration keep(MonitorRule rule) {
        return rule.over().plus(rule.within()).plus(SPARE);
    }
}
