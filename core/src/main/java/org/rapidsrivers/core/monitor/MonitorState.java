package org.rapidsrivers.core.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rapidsrivers.core.json.Json;

/**
 * Understands what the monitor service last said about one monitor, kept in its pond: the verdict, since when
 * its status holds, and when it was evaluated (so a reader can tell a state nobody keeps up to date any more).
 */
public record MonitorState(String name, Verdict.Status status, Instant since, double ratio, long sample, List<String> examples,
                           String measure, Instant evaluatedAt) {
    public MonitorState {
        examples = List.copyOf(examples);
    }

    /**
     * The state after a verdict: the same status keeps its {@code since}; a breached monitor whose sample fell
     * below its minimum stays breached (recovery is said only by a healthy window).
     */
    public static MonitorState after(String name, MonitorState before, Verdict verdict, Instant now) {
        Verdict.Status status = verdict.status() == Verdict.Status.PENDING && before != null && before.breached()
                ? Verdict.Status.BREACHED : verdict.status();
        Instant since = before != null && before.status() == status ? before.since() : now;
        return new MonitorState(name, status, since, verdict.ratio(), verdict.sample(), verdict.examples(),
                verdict.measure(), now);
    }

    public boolean breached() {
        return status == Verdict.Status.BREACHED;
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object()
                .put("name", name)
                .put("status", status.word())
                .put("since", since.toString())
                .put("ratio", ratio)
                .put("sample", sample)
                .put("measure", measure)
                .put("evaluatedAt", evaluatedAt.toString());
        examples.forEach(json.putArray("examples")::add);
        if (!json.has("examples")) {
            json.putArray("examples");
        }
        return json;
    }

    public static MonitorState fromJson(JsonNode json) {
        List<String> examples = new ArrayList<>();
        json.path("examples").forEach(example -> examples.add(example.asText()));
        return new MonitorState(json.path("name").asText(),
                Verdict.Status.valueOf(json.path("status").asText("pending").toUpperCase(Locale.ROOT)),
                Instant.parse(json.path("since").asText()), json.path("ratio").asDouble(), json.path("sample").asLong(),
                examples, json.path("measure").asText(""), Instant.parse(json.path("evaluatedAt").asText()));
    }
}
