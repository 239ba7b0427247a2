package org.rapidsrivers.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.embedded.EmbeddedBackend;
import org.rapidsrivers.hosts.PlaneHost;

/** What a ServiceStarted announces is anyone's text: one bad event must not break the whole topology. */
class TopologyTest {
    @TempDir
    Path dir;

    @Test
    void aServiceThatAnnouncesNamesThatAreNoTopicOrRiverIsDrawnWithoutThemAndFlagged() {
        try (EmbeddedBackend stage = EmbeddedBackend.open(dir, Stage.DEFAULT); PlaneHost planes = PlaneHost.start(stage)) {
            stage.rapids().publish(Event.builder(Topic.of("ServiceStarted"), "evil", Json.parse(
                    "{\"service\":\"evil\",\"river\":\"no river!\",\"publishes\":[\"\",\"Fine\",\"\\u001b]0;PWNED\\u0007\"]}")).build());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !stage.operations().traffic().isEmpty());

            Topology topology = Topology.of(stage, Duration.ofHours(1), Instant.now());

            assertThat(topology.edges()).extracting(e -> e.from() + " -> " + e.to())
                    .contains("service:evil -> topic:Fine")
                    .noneMatch(edge -> edge.endsWith("topic:") || edge.contains("PWNED") || edge.contains("no river"));
            assertThat(topology.flags()).contains(
                    "service evil announced it publishes '', which is no topic name: left out",
                    "service evil announced it publishes '\\u001b]0;PWNED\\u0007', which is no topic name: left out",
                    "service evil announced the river 'no river!', which is no river name: left out");
            assertThat(topology.text()).contains("service evil publishes Fine").doesNotContain("\u001b");
            assertThat(topology.mermaid()).startsWith("flowchart LR");
            assertThat(topology.dot()).startsWith("digraph rapids {");
            assertThat(topology.toJson().path("flags")).hasSize(3);
        }
    }
}
