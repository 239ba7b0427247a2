package org.rapidsrivers.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.filter.ContentFilter;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands a command on the control stream:
 * {"command": "subscribe", "commandArgs": {"river": "r1", "topic": "ViewPage"}, "commandId": ..., "issuedAt": ...};
 * a delete names only its river (its topic is null). A subscribe may say what of the topic the river wants,
 * {"where": ["source=location"]} ({@link ContentFilter}); without it, the whole topic. A subscribe says all of what
 * the river wants of its topic: subscribing again with other conditions (or none) replaces them.
 * commandId and issuedAt are optional on input (older clients send only command and commandArgs).
 */
public record ControlCommand(CommandKind kind, RiverName river, Topic topic, String commandId, Instant issuedAt,
                             ContentFilter filter) {
    /** What a commandId may be: it keys the ledger (a DynamoDB key) and an outcome event's correlationId. */
    public static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public ControlCommand {
        Objects.requireNonNull(kind, "kind");
        if (kind.needsTopic()) {
            Objects.requireNonNull(topic, "topic");
        } else {
            topic = null;
        }
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (kind.needsRiver() && river == null) {
            throw new InvalidInput(kind.wireName() + " needs a river");
        }
        if (!kind.needsRiver()) {
            river = null;
        }
        filter = kind == CommandKind.SUBSCRIBE && filter != null ? filter : ContentFilter.WHOLE;
    }

    public ControlCommand(CommandKind kind, RiverName river, Topic topic, String commandId, Instant issuedAt) {
        this(kind, river, topic, commandId, issuedAt, ContentFilter.WHOLE);
    }

    public static ControlCommand subscribe(RiverName river, Topic topic, Clock clock) {
        return new ControlCommand(CommandKind.SUBSCRIBE, river, topic, UUID.randomUUID().toString(), clock.instant());
    }

    public static ControlCommand subscribe(RiverName river, Topic topic, ContentFilter filter, Clock clock) {
        return new ControlCommand(CommandKind.SUBSCRIBE, river, topic, UUID.randomUUID().toString(), clock.instant(), filter);
    }

    public static ControlCommand unsubscribe(RiverName river, Topic topic, Clock clock) {
        return new ControlCommand(CommandKind.UNSUBSCRIBE, river, topic, UUID.randomUUID().toString(), clock.instant());
    }

    public static ControlCommand delete(RiverName river, Clock clock) {
        return new ControlCommand(CommandKind.DELETE, river, null, UUID.randomUUID().toString(), clock.instant());
    }

    public static ControlCommand advertise(Topic topic, Clock clock) {
        return new ControlCommand(CommandKind.ADVERTISE, null, topic, UUID.randomUUID().toString(), clock.instant());
    }

    /**
     * Reads a command from the control stream. Missing commandId or issuedAt are filled in from
     * {@code fallbackId} and {@code clock}; anything else wrong is an {@link InvalidInput} that
     * says what and what is allowed.
     */
    public static ControlCommand parse(String text, String fallbackId, Clock clock) {
        JsonNode node = Json.parse(text);
        if (!node.isObject()) {
            throw new InvalidInput("invalid command: expected a JSON object");
        }
        String name = requiredText(node, "command", "command");
        CommandKind kind = CommandKind.fromWire(name).orElseThrow(() -> new InvalidInput(
                "unknown command '" + Printable.of(name) + "' (allowed: " + CommandKind.allowed() + ")"));
        JsonNode args = node.get("commandArgs");
        if (args == null || !args.isObject()) {
            throw new InvalidInput("invalid command: commandArgs must be an object with "
                    + (kind.needsRiver() ? kind.needsTopic() ? "river and topic" : "river" : "topic"));
        }
        RiverName river = kind.needsRiver() ? RiverName.of(requiredText(args, "river", "commandArgs.river")) : null;
        Topic topic = kind.needsTopic() ? Topic.of(requiredText(args, "topic", "commandArgs.topic")) : null;
        String id = optionalText(node, "commandId").orElse(fallbackId);
        if (!COMMAND_ID.matcher(id).matches()) {
            throw new InvalidInput("invalid command: commandId must be 1-128 characters of letters, digits and . _ : -"
                    + " (a UUID does), got " + (id.length() > 40 ? id.length() + " characters" : "'" + Printable.of(id) + "'"));
        }
        Instant issuedAt = optionalText(node, "issuedAt").map(ControlCommand::instant).orElseGet(clock::instant);
        return new ControlCommand(kind, river, topic, id, issuedAt, kind == CommandKind.SUBSCRIBE ? filter(args) : null);
    }

    /** The commandId of a command that could not be parsed, when the text still carries one that may be one. */
    public static Optional<String> commandIdIn(String text) {
        try {
            return optionalText(Json.parse(text), "commandId").filter(id -> COMMAND_ID.matcher(id).matches());
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** One river's commands share a partition key, so they stay in order on the control stream. */
    public String partitionKey() {
        return river != null ? river.value() : topic.value();
    }

    public String toJson() {
        ObjectNode json = Json.object();
        json.put("command", kind.wireName());
        ObjectNode args = json.putObject("commandArgs");
        if (river != null) {
            args.put("river", river.value());
        }
        if (topic != null) {
            args.put("topic", topic.value());
        }
        if (!filter.isWhole()) {
            ArrayNode where = args.putArray("where");
            filter.words().forEach(where::add);
        }
        json.put("commandId", commandId);
        json.put("issuedAt", Timestamps.format(issuedAt));
        return Json.compact(json);
    }

    /** How a person would type it in the shell, for confirmations and errors. */
    public String describe() {
        return kind.wireName() + (river != null ? " " + river.value() : "") + (topic != null ? " " + topic.value() : "")
                + filter.words().stream().map(w -> " --where " + w).collect(Collectors.joining());
    }

    /** commandArgs.where: absent for the whole topic, else an array of --where words. */
    private static ContentFilter filter(JsonNode args) {
        JsonNode where = args.get("where");
        if (where == null || where.isNull()) {
            return ContentFilter.WHOLE;
        }
        if (!where.isArray()) {
            throw new InvalidInput("invalid command: commandArgs.where must be an array of conditions (\"source=location\")");
        }
        List<String> words = new ArrayList<>();
        for (JsonNode word : where) {
            if (!word.isTextual()) {
                throw new InvalidInput("invalid command: commandArgs.where must hold strings, got " + Printable.of(word.toString()));
            }
            words.add(word.asText());
        }
        return ContentFilter.parse(words);
    }

    private static String requiredText(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInput("invalid command: " + path + " is missing");
        }
        if (!value.isTextual()) {
            throw new InvalidInput("invalid command: " + path + " must be a string");
        }
        return value.asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInput("invalid command: issuedAt '" + Printable.of(text) + "' is not an ISO-8601 UTC time");
        }
    }
}
