package org.rapidsrivers.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.InstanceNote;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.Traffic;

/**
 * What anyone may put in an event reaches the operator only as text (issue 18, findings 5 and 6): no
 * escape sequence gets to the terminal from rr status, and no markup into a Mermaid drawing.
 */
class StatusPrintableTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void escapeSequencesAndFormatCharactersInAServicesWordsAreShownNotActedOn() {
        String evil = "\u001b]0;PWNED-TITLE\u0007\u001b[2J\u001b[31mFAKE\u202Eeulav";
        Traffic started = new Traffic("x", Topic.of("ServiceStarted"), 1, NOW, Optional.of("{\"service\":\"" + evil.replace("\u001b",
                "\\u001b").replace("\u0007", "\\u0007") + "\",\"instanceId\":\"" + "\\u001b[2J" + "\",\"river\":\"r\"}"));
        InstanceNote note = new InstanceNote(evil, "\u001b[2J", InstanceNote.State.STARTED, NOW, NOW, "{}");
        StatusReport report = new StatusReport("t", NOW, List.of(), List.of(), Map.of(Plane.FANOUT, 0L, Plane.CONTROL, 0L),
                Map.of(), ServiceSeen.from(List.of(started), List.of(note), NOW), List.of(), "archive: 0 event(s)", Json.object(),
                "", false, MonitorsReport.empty(NOW));

        String table = report.table();

        assertThat(table).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202E")
                .contains("\\u001b]0;PWNED-TITLE\\u0007\\u001b[2J\\u001b[31mFAKE\\u202eeulav");
    }

    @Test
    void aMermaidLabelCarriesNoMarkupLinkOrQuote() {
        String label = Topology.mermaidText("<img src=http://evil.example/x onerror=alert(1)> \"q\" a_b.c:d-e");

        assertThat(label).doesNotContain("<").doesNotContain(">").doesNotContain("\"").doesNotContain("=").doesNotContain("/")
                .startsWith("#60;img src#61;http:#47;#47;evil.example#47;x").endsWith(" #34;q#34; a_b.c:d-e");
    }
}
