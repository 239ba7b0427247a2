package org.rapidsrivers.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.Traffic;

/**
 * What the heartbeats say to an operator: a process that beats is alive with its counters, one silent for
 * three beats is stuck (status says so), a deployed function is never silent (it runs only while messages
 * arrive), and a heartbeat nobody can read is no sign of life.
 */
class ServiceSeenTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aProcessThatBeatsIsAliveWithItsCounters() {
        ServiceSeen brand = only(started("brand", false, NOW.minusSeconds(600)), alive("brand", NOW.minusSeconds(10), 7));

        assertThat(brand.silentFor(NOW)).isEmpty();
        assertThat(Topology.quiet(brand, Duration.ofSeconds(5), NOW)).as("a beat keeps it seen").isFalse();
        assertThat(brand.alive()).get().satisfies(a -> {
            assertThat(a.handled()).isEqualTo(7);
            assertThat(a.every()).isEqualTo(Duration.ofSeconds(30));
        });
        StatusReport report = report(brand);
        assertThat(report.stuck()).isEmpty();
        assertThat(report.table()).contains("ALIVE", "HANDLED").containsPattern("brand .* 10s ago +7 +0 +0");
        assertThat(report.toJson().at("/services/0/alive/handled").asLong()).isEqualTo(7);
    }

    @Test
    void aProcessSilentForThreeBeatsIsStuck() {
        ServiceSeen brand = only(started("brand", false, NOW.minusSeconds(600)), alive("brand", NOW.minusSeconds(91), 7));

        assertThat(brand.silentFor(NOW)).contains(Duration.ofSeconds(91));
        assertThat(report(brand).stuck()).containsExactly(
                "service brand (instance i-brand) has been silent for 91s, its heartbeat every 30s: is it running?");
        assertThat(Topology.quiet(brand, Duration.ofHours(1), NOW)).as("silent beats, however recent the stale limit").isTrue();
    }

    @Test
    void aDeployedFunctionIsNeverSilentAndShowsAsAFunction() {
        Traffic started = started("offer-engine", true, NOW.minusSeconds(86_400));
        ServiceSeen engine = only(started);

        assertThat(engine.deployed()).isTrue();
        assertThat(engine.silentFor(NOW)).isEmpty();
        assertThat(report(engine).stuck()).isEmpty();
        assertThat(report(engine).table()).containsPattern("offer-engine .* function");
        // what the function noted of its last batch in its pond
        ServiceSeen working = engine.withLastBatch(ServiceSeen.LastBatch.of(Optional.of(Json.parse(
                "{\"at\":\"2026-11-30T11:59:55Z\",\"received\":10,\"handled\":9,\"failed\":1,\"duplicates\":0}"))));
        assertThat(report(working).table()).containsPattern("offer-engine .* function, a batch 5s ago");
        assertThat(report(working).toJson().at("/services/0/lastBatch/failed").asLong()).isEqualTo(1);
        assertThat(ServiceSeen.LastBatch.of(Optional.of(Json.parse("{\"at\":\"soon\"}")))).isEmpty();
        assertThat(Topology.quiet(engine, Duration.ofMinutes(1), NOW)).isFalse();
    }

    @Test
    void aHeartbeatNobodyCanReadIsNoSignOfLife() {
        Traffic garbled = new Traffic("brand", Topic.of("ServiceAlive"), 1, NOW, Optional.of("{\"everyMs\":\"soon\"}"));
        assertThat(only(started("brand", false, NOW.minusSeconds(60)), garbled).alive()).isEmpty();
    }

    private static ServiceSeen only(Traffic... traffic) {
        List<ServiceSeen> seen = ServiceSeen.from(List.of(traffic));
        assertThat(seen).hasSize(1);
        return seen.get(0);
    }

    private static StatusReport report(ServiceSeen service) {
        return new StatusReport("t", NOW, List.of(), List.of(), Map.of(Plane.FANOUT, 0L, Plane.CONTROL, 0L), Map.of(),
                List.of(service), List.of(), "archive: 0 event(s)", Json.object());
    }

    private static Traffic started(String service, boolean deployed, Instant at) {
        return new Traffic(service, Topic.of("ServiceStarted"), 1, at, Optional.of("{\"service\":\"" + service
                + "\",\"instanceId\":\"i-" + service + "\",\"river\":\"" + service + "\",\"consumes\":[\"ViewPage\"],"
                + "\"publishes\":[\"Offer\"]" + (deployed ? ",\"deployed\":true" : "") + "}"));
    }

    private static Traffic alive(String service, Instant at, long handled) {
        return new Traffic(service, Topic.of("ServiceAlive"), 20, at, Optional.of("{\"service\":\"" + service
                + "\",\"instanceId\":\"i-" + service + "\",\"everyMs\":30000,\"handled\":" + handled
                + ",\"failed\":0,\"duplicates\":0,\"handlerMs\":12}"));
    }
}
