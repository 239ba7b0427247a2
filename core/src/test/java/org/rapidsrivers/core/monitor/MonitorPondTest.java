package org.rapidsrivers.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.ports.Pond;

/** Where a stage keeps its monitors: one rule a name, and any producer's ids kept as keys a pond takes. */
class MonitorPondTest {
    private static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");
    private final MonitorPond pond = new MonitorPond(Pond.inMemory(Clock.systemUTC()));
    private final MonitorRule rule = MonitorRule.parse("m --when A --expect B --within 1s --at-least 90%");

    @Test
    void aNameHoldsOneRuleAndTheSameRuleAgainIsNoChange() {
        assertThat(pond.add(rule, AT)).isTrue();
        assertThat(pond.add(rule, AT.plusSeconds(1))).isFalse();
        assertThatThrownBy(() -> pond.add(MonitorRule.parse("m --when A --expect B --within 2s --at-least 90%"), AT))
                .isInstanceOf(InvalidInput.class).hasMessageStartingWith("a monitor named m exists (--when A");
        assertThat(pond.definition("m").orElseThrow().addedAt()).isEqualTo(AT);
        assertThat(pond.remove("m")).isTrue();
        assertThat(pond.definitions(line -> { })).isEmpty();
    }

    @Test
    void aChainWhoseIdIsTooLongForAKeyIsCountedUnderItsDigest() {
        String longId = "x".repeat(5_000);
        pond.started(rule, longId, AT);
        pond.met(rule, longId, AT.plusMillis(10));
        pond.started(rule, "short", AT);

        assertThat(pond.started("m")).containsKey("short").hasSize(2);
        assertThat(pond.started("m").keySet()).filteredOn(key -> key.startsWith("#")).singleElement()
                .satisfies(key -> assertThat(key).hasSize(65));
        assertThat(pond.met("m").keySet()).isEqualTo(pond.started("m").keySet().stream().filter(k -> k.startsWith("#"))
                .collect(java.util.stream.Collectors.toSet()));
    }
}
