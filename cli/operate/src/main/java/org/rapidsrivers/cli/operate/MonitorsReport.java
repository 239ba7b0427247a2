package org.rapidsrivers.cli.operate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.monitor.MonitorPond;
import org.rapidsrivers.core.monitor.MonitorState;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands the stage's monitors as an operator reads them ({@code rr monitors}, {@code rr status}, the page):
 * each with its rule, what the monitor service last said and when, breached ones first, each breach with a
 * failing chain and the {@code rr trace} that draws it. A state nobody has brought up to date for a while is
 * said to be old, with the likely reason, rather than shown as if it were now.
 */
public record MonitorsReport(Instant at, List<Row> rows, List<String> unreadable) {
    /** Older than this, a state is shown as not current: the monitor service judges every second by default. */
    static final Duration OLD = Duration.ofSeconds(15);

    /** One monitor: its name and rule, and its state if it was ever evaluated. */
    public record Row(String name, String rule, Instant addedAt, Optional<MonitorState> state) {
        boolean breached() {
            return state.map(MonitorState::breached).orElse(false);
        }
    }

    public static MonitorsReport of(Backend backend, Instant now) {
        MonitorPond pond = new MonitorPond(backend.pond(MonitorPond.SERVICE));
        List<String> unreadable = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (MonitorPond.Definition definition : pond.definitions(unreadable::add)) {
            rows.add(new Row(definition.rule().name(), definition.rule().text(), definition.addedAt(),
                    pond.state(definition.rule().name())));
        }
        rows.sort(Comparator.comparing((Row row) -> !row.breached()).thenComparing(Row::name));
        return new MonitorsReport(now, List.copyOf(rows), List.copyOf(unreadable));
    }

    /** A stage with no monitor. */
    public static MonitorsReport empty(Instant now) {
        return new MonitorsReport(now, List.of(), List.of());
    }

    public boolean none() {
        return rows.isEmpty();
    }

    /** The monitors breached now, one sentence each (for what rr status lists as wrong). */
    public List<String> breaches() {
        return rows.stream().filter(Row::breached).map(row -> "monitor " + row.name() + " is " + health(row)
                + row.state().get().examples().stream().findFirst().map(chain -> "; a failing chain: rr trace " + chain).orElse(""))
                .toList();
    }

    /** "HEALTHY 100% of 21 chains within 3s, since 2 min" and the like. */
    String health(Row row) {
        if (row.state().isEmpty()) {
            return "not evaluated yet (is rr service monitor running on this stage?)";
        }
        MonitorState state = row.state().get();
        String said = state.status().word() + " " + state.measure() + ", since "
                + DurationWords.of(Duration.between(state.since(), at)) + " ago";
        Duration age = Duration.between(state.evaluatedAt(), at);
        return age.compareTo(OLD) > 0 ? said + " (as evaluated " + DurationWords.of(age) + " ago: is rr service monitor running?)"
                : said;
    }

    /** Lines for people: one per monitor, and under a breach its failing chains' trace commands. */
    public String text() {
        if (rows.isEmpty()) {
            return "no monitors (rr monitor add <name> --when <type> --expect <type> --within 3s --at-least 99% adds one)\n";
        }
        Table table = new Table("MONITOR", "STATE", "RULE");
        for (Row row : rows) {
            table.row(row.name(), health(row), row.rule());
        }
        StringBuilder text = new StringBuilder(table.render());
        for (Row row : rows) {
            if (row.breached()) {
                for (String chain : row.state().get().examples()) {
                    text.append("  ").append(row.name()).append(" failed chain ").append(Printable.of(chain))
                            .append(": rr trace ").append(Printable.of(chain)).append('\n');
                }
            }
        }
        unreadable.forEach(line -> text.append("warning: ").append(line).append('\n'));
        return text.toString();
    }

    public ArrayNode toJson() {
        ArrayNode json = Json.array();
        for (Row row : rows) {
            ObjectNode monitor = json.addObject().put("monitor", row.name()).put("rule", row.rule())
                    .put("addedAt", Timestamps.format(row.addedAt()));
            if (row.state().isEmpty()) {
                monitor.put("status", "unevaluated");
                continue;
            }
            MonitorState state = row.state().get();
            monitor.put("status", state.status().word())
                    .put("since", Timestamps.format(state.since()))
                    .put("ratio", state.ratio()).put("sample", state.sample()).put("measure", state.measure())
                    .put("evaluatedAt", Timestamps.format(state.evaluatedAt()))
                    .put("current", Duration.between(state.evaluatedAt(), at).compareTo(OLD) <= 0);
            ArrayNode examples = monitor.putArray("examples");
            state.examples().forEach(chain -> examples.addObject().put("chain", chain).put("trace", "rr trace " + chain));
        }
        return json;
    }
}
