package org.rapidsrivers.core.ports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.json.Json;

/**
 * Understands why a message was given up on, kept with it in the dead-letter queue: the failure (the
 * exception's class and message), on which receive, by which service and instance, and when. As JSON in one
 * SQS message attribute or one embedded column; a failure too long for a line is cut, saying so.
 */
public record DeadLetterNote(String failure, int receiveCount, String service, String instanceId, Instant at) {
    /** The SQS message attribute (a String, this note as JSON) a dead letter carries. */
    public static final String ATTRIBUTE = "rr-dead-letter";
    /** The longest failure kept: an exception's message can be a page long. */
    public static final int LONGEST_FAILURE = 1_000;

    public DeadLetterNote {
        failure = failure == null ? "" : failure.length() > LONGEST_FAILURE
                ? failure.substring(0, LONGEST_FAILURE) + "... (cut)" : failure;
    }

    /** What a message that came back too often without a reason (a reader killed, or peeking) is noted with. */
    public static String unexplained(int receives) {
        return "received " + receives + " times without a delete and no reason given (its reader stopped or crashed"
                + " while it was in hand, or it was only peeked at)";
    }

    /** The failure as "class: message" for a thrown exception. */
    public static String of(Throwable failure) {
        return failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    public String toJson() {
        ObjectNode json = Json.object().put("failure", failure).put("receiveCount", receiveCount).put("service", service)
                .put("instanceId", instanceId).put("at", Timestamps.format(at));
        return Json.compact(json);
    }

    /** The note in a dead letter's attribute or column; empty when there is none or it cannot be read. */
    public static Optional<DeadLetterNote> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode json = Json.parse(text);
            return Optional.of(new DeadLetterNote(json.path("failure").asText(""), json.path("receiveCount").asInt(0),
                    json.path("service").asText(""), json.path("instanceId").asText(""), Instant.parse(json.path("at").asText())));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** "java.lang.IllegalStateException: closed (receive 5, service greeter instance 1c0e…, 2026-12-07T10:00:00.000Z)". */
    public String describe() {
        return failure + " (receive " + receiveCount + ", service " + service + " instance " + instanceId + ", "
                + Timestamps.format(at) + ")";
    }
}
