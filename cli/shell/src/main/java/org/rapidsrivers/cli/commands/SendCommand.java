package org.rapidsrivers.cli.commands;

import org.rapidsrivers.cli.session.Candidates;
import java.util.concurrent.Callable;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Understands how to publish one event onto the rapids from the shell, refusing a bad one before anything is sent. */
@Command(name = "send", description = "Publish event with optional data", abbreviateSynopsis = true)
public final class SendCommand implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "<event>", description = "Event type (the topic), e.g. ViewPage.",
            completionCandidates = Candidates.Topics.class)
    String type;

    @Parameters(index = "1", paramLabel = "<source>", description = "Event domain: who emits it, e.g. TheSource.")
    String source;

    @Parameters(index = "2", paramLabel = "data", arity = "0..1", description = "JSON payload (default: {}).")
    String data;

    @Option(names = "--partition-key", paramLabel = "<key>", description = "Partition key (default: the correlation id or the event id).")
    String partitionKey;

    @Option(names = "--correlation-id", paramLabel = "<id>", description = "Id shared by every event caused by one original event.")
    String correlationId;

    @Option(names = "--causation-id", paramLabel = "<eventId>", description = "The eventId of the event that caused this one.")
    String causationId;

    public SendCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Event event = build();
        event.checkSize();
        session.backend().rapids().publish(event);
        session.output().result(event.id(), Json.object().put("eventId", event.id()).put("eventType", type));
        return 0;
    }

    private Event build() {
        Topic topic = Topic.of(type);
        Event.Builder builder;
        try {
            builder = Event.builder(topic, source, data == null ? "{}" : data);
        } catch (InvalidInput badJson) {
            String hint = badJson.getMessage().startsWith("malformed") ? " (data must be JSON, e.g. '{\"name\":\"Sally\"}')" : "";
            throw new InvalidInput("invalid data: " + badJson.getMessage() + hint);
        }
        if (partitionKey != null) {
            builder.partitionKey(partitionKey);
        }
        if (correlationId != null) {
            builder.correlationId(correlationId);
        }
        if (causationId != null) {
            builder.causationId(causationId);
        }
        return builder.build();
    }
}
