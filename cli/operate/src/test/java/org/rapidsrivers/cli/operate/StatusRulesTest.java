package org.rapidsrivers.cli.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.ConsumerLag;
import org.rapidsrivers.core.operate.InstanceNote;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.operate.RiverStatus;
import org.rapidsrivers.core.operate.Traffic;
import org.rapidsrivers.core.stage.StageOptions;

/**
 * Each rule of "is anything stuck?" (docs/operate.md), on what a backend reports: a service's rows are its
 * instances, each with its own counters; one silent for three beats with no other running is stuck, one that
 * said it stopped is shown stopped, and either is dropped after an hour; a river with messages nothing reads is
 * stuck after a minute (by the messages' age where the backend tells it, else by how long nothing read it);
 * a message in hand is aged from when it was sent; the planes not hosted are stuck; a focused status speaks of
 * its river only; a deployed function is never silent; a heartbeat nobody can read is no sign of life.
 */
class StatusRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void eachInstanceHasItsOwnRowAndCountersAndOneThatSaidItStoppedIsShownStopped() {
        List<InstanceNote> notes = List.of(
                note("brand", "i-old", InstanceNote.State.STOPPED, NOW.minusSeconds(900), NOW.minusSeconds(300), 50),
                note("brand", "i-new", InstanceNote.State.ALIVE, NOW.minusSeconds(200), NOW.minusSeconds(10), 3));
        StatusReport report = report(List.of(), notes, List.of(river("brand", 0, 0)), List.of());

        assertThat(report.stuck()).isEmpty();
        assertThat(report.table()).containsPattern("brand +i-old +stopped 5m ago +15m ago +5m ago +50 +0 +0")
                .containsPattern("brand +i-new +running +3m ago +10s ago +3 +0 +0");
        assertThat(report.toJson().at("/services/0/instances")).extracting(i -> i.get("instanceId").asText() + " "
                + i.get("state").asText() + " " + i.get("handled").asLong()).containsExactly("i-old stopped 50", "i-new running 3");
    }

    @Test
    void anInstanceSilentForThreeBeatsIsStuckOnlyWhenNoOtherRunsAndEitherIsDroppedAfterAnHour() {
        InstanceNote killed = note("brand", "i-killed", InstanceNote.State.ALIVE, NOW.minusSeconds(600), NOW.minusSeconds(91), 7);
        assertThat(report(List.of(), List.of(killed), List.of(), List.of()).stuck()).containsExactly(
                "service brand (instance i-killed) has been silent for 91s, its heartbeat every 30s, and no other instance runs:"
                        + " is it running?");

        InstanceNote restarted = note("brand", "i-again", InstanceNote.State.STARTED, NOW.minusSeconds(20), NOW.minusSeconds(20), 0);
        StatusReport both = report(List.of(), List.of(killed, restarted), List.of(), List.of());
        assertThat(both.stuck()).as("its successor runs").isEmpty();
        assertThat(both.table()).containsPattern("i-killed +silent 91s").containsPattern("i-again +running");

        InstanceNote longGone = note("brand", "i-gone", InstanceNote.State.ALIVE, NOW.minusSeconds(9000), NOW.minusSeconds(3700), 1);
        InstanceNote stoppedLongAgo = note("brand", "i-done", InstanceNote.State.STOPPED, NOW.minusSeconds(9000),
                NOW.minusSeconds(3601), 1);
        StatusReport later = report(List.of(), List.of(longGone, stoppedLongAgo, restarted), List.of(), List.of());
        assertThat(later.table()).doesNotContain("i-gone").doesNotContain("i-done").contains("i-again");
        assertThat(later.stuck()).isEmpty();
    }

    @Test
    void messagesNobodyReadsAreStuckAfterAMinuteByTheirAgeWhereTheBackendTellsIt() {
        // embedded: the oldest waiting message's age is known
        RiverStatus waiting = new RiverStatus(RiverName.of("offer-engine"), topics("ViewPage"), 9, 0, 0,
                Optional.of(Duration.ofMinutes(2)), Optional.of(Duration.ofMinutes(2)), Optional.of(NOW.minusSeconds(3600)));
        InstanceNote stopped = note("offer-engine", "i-1", InstanceNote.State.STOPPED, NOW.minusSeconds(900), NOW.minusSeconds(130), 4);

        assertThat(report(List.of(started("offer-engine", false)), List.of(stopped), List.of(waiting), List.of()).stuck())
                .containsExactly("river offer-engine has 9 message(s) waiting 2m and nothing reads it: no instance of service"
                        + " offer-engine runs (the last spoke 2m ago): start it");

        RiverStatus fresh = new RiverStatus(RiverName.of("offer-engine"), topics("ViewPage"), 9, 0, 0,
                Optional.of(Duration.ofSeconds(30)), Optional.of(Duration.ofSeconds(30)), Optional.of(NOW.minusSeconds(3600)));
        assertThat(report(List.of(started("offer-engine", false)), List.of(stopped), List.of(fresh), List.of()).stuck())
                .as("younger than a minute").isEmpty();
    }

    @Test
    void whereTheBackendCannotTellAgesARiverNobodyHasReadForAMinuteIsStuck() {
        // SQS: no ages, but when the queue was made; nothing ever said it reads r1
        RiverStatus r1 = new RiverStatus(RiverName.of("r1"), topics("Ping"), 3, 0, 0, Optional.empty(), Optional.empty(),
                Optional.of(NOW.minusSeconds(180)));
        assertThat(report(List.of(), List.of(), List.of(r1), List.of()).stuck()).containsExactly(
                "river r1 has 3 message(s) waiting 3m and nothing reads it: no service r1 has said it started (start it,"
                        + " or river delete r1 if nobody will)");

        RiverStatus justMade = new RiverStatus(RiverName.of("r1"), topics("Ping"), 3, 0, 0, Optional.empty(), Optional.empty(),
                Optional.of(NOW.minusSeconds(20)));
        assertThat(report(List.of(), List.of(), List.of(justMade), List.of()).stuck()).isEmpty();
    }

    @Test
    void aMessageInHandIsAgedFromWhenItWasSentAndARunningServiceIsNotStuckUntilAMessageWaitsFiveMinutes() {
        InstanceNote running = note("weather", "i-1", InstanceNote.State.ALIVE, NOW.minusSeconds(300), NOW.minusSeconds(5), 1);
        RiverStatus inHand = new RiverStatus(RiverName.of("weather"), topics("ViewPage"), 0, 1, 0,
                Optional.of(Duration.ofSeconds(40)), Optional.empty(), Optional.of(NOW.minusSeconds(3600)));
        StatusReport report = report(List.of(started("weather", false)), List.of(running), List.of(inHand), List.of());
        assertThat(report.stuck()).isEmpty();
        assertThat(report.table()).containsPattern("weather +ViewPage +0 +1 +0 +40s");

        RiverStatus slow = new RiverStatus(RiverName.of("weather"), topics("ViewPage"), 4, 1, 0,
                Optional.of(Duration.ofMinutes(7)), Optional.of(Duration.ofMinutes(6)), Optional.of(NOW.minusSeconds(3600)));
        assertThat(report(List.of(started("weather", false)), List.of(running), List.of(slow), List.of()).stuck())
                .containsExactly("river weather has a message waiting 6m though service weather runs: is its handler stuck?"
                        + " (rr status weather shows its instances)");
    }

    @Test
    void recordsNothingHasReadForAMinuteSayNothingHostsThePlanes() {
        List<ConsumerLag> lag = List.of(
                new ConsumerLag("rr-t-rapids", "data-plane", "shard-0", OptionalLong.of(12), OptionalLong.of(95_000)),
                new ConsumerLag("rr-t-rapids", "data-plane", "shard-1", OptionalLong.of(3), OptionalLong.of(70_000)),
                new ConsumerLag("rr-t-control", "control-plane", "shard-0", OptionalLong.of(0), OptionalLong.of(0)));
        StatusReport report = report(List.of(), List.of(), List.of(), lag);

        assertThat(report.stuck()).containsExactly("the data-plane has not read rr-t-rapids for 95s (2 shard(s) behind):"
                + " nothing hosts the planes; every rr process of this stage that sends or reads hosts them while it runs"
                + " (make run, or a service)");
        assertThat(report(List.of(), List.of(), List.of(), List.of(
                new ConsumerLag("rr-t-rapids", "data-plane", "shard-0", OptionalLong.of(1), OptionalLong.of(50_000)))).stuck())
                .isEmpty();
    }

    @Test
    void aFocusedStatusShowsItsRiverItsServiceAndWhatIsStuckAboutThemOnly() {
        InstanceNote weather = note("weather", "i-w", InstanceNote.State.ALIVE, NOW.minusSeconds(300), NOW.minusSeconds(5), 2);
        InstanceNote other = note("brand", "i-b", InstanceNote.State.ALIVE, NOW.minusSeconds(300), NOW.minusSeconds(5), 9);
        List<Traffic> traffic = List.of(started("weather", false), started("brand", false));
        RiverStatus river = new RiverStatus(RiverName.of("weather"), topics("ViewPage"), 0, 0, 2, Optional.empty(),
                Optional.empty(), Optional.of(NOW.minusSeconds(600)));
        StatusReport focused = new StatusReport("t", NOW, List.of(river), List.of(), Map.of(), Map.of(),
                ServiceSeen.from(traffic, List.of(weather, other), NOW).stream().filter(s -> s.service().equals("weather")).toList(),
                List.of(), "", Json.object(), StuckRules.hostHint(StageOptions.EMBEDDED), true, MonitorsReport.empty(NOW));

        assertThat(focused.table()).contains("weather", "i-w").doesNotContain("brand").doesNotContain("STREAM")
                .doesNotContain("PLANE").doesNotContain("archive");
        assertThat(focused.stuck()).containsExactly("river weather has 2 dead-lettered message(s): deadletters --river weather"
                + " shows them with their reasons, redrive weather puts them back");
    }

    @Test
    void aDeployedFunctionIsNeverSilentButItsRiverIsStuckWhenNoBatchCameForAMinute() {
        Traffic started = started("offer-engine", true);
        ServiceSeen engine = ServiceSeen.from(List.of(started), List.of(), NOW).get(0).withLastBatch(ServiceSeen.LastBatch.of(
                Optional.of(Json.parse("{\"at\":\"2026-11-30T11:59:55Z\",\"received\":10,\"handled\":9,\"failed\":1}"))));
        RiverStatus quiet = new RiverStatus(RiverName.of("offer-engine"), topics("ViewPage"), 0, 0, 0, Optional.empty(),
                Optional.empty(), Optional.of(NOW.minusSeconds(86_400)));
        StatusReport working = withServices(List.of(engine), List.of(quiet));
        assertThat(working.stuck()).isEmpty();
        assertThat(working.table()).containsPattern("offer-engine +- +function, a batch 5s ago");
        assertThat(working.toJson().at("/services/0/lastBatch/failed").asLong()).isEqualTo(1);

        ServiceSeen idle = engine.withLastBatch(ServiceSeen.LastBatch.of(Optional.of(Json.parse(
                "{\"at\":\"2026-11-30T11:55:00Z\",\"received\":1,\"handled\":1,\"failed\":0}"))));
        RiverStatus waiting = new RiverStatus(RiverName.of("offer-engine"), topics("ViewPage"), 2, 0, 0, Optional.empty(),
                Optional.empty(), Optional.of(NOW.minusSeconds(86_400)));
        assertThat(withServices(List.of(idle), List.of(waiting)).stuck()).singleElement().asString()
                .startsWith("river offer-engine has 2 message(s) waiting 5m and nothing reads it: its function has handled no batch"
                        + " for 5m");
        assertThat(ServiceSeen.LastBatch.of(Optional.of(Json.parse("{\"at\":\"soon\"}")))).isEmpty();
    }

    @Test
    void aHeartbeatNobodyCanReadIsNoSignOfLife() {
        Event garbled = Event.builder(Topic.of("ServiceAlive"), "brand", Json.parse("{\"service\":\"brand\",\"instanceId\":\"i-1\","
                + "\"everyMs\":\"soon\"}")).build();
        Event readable = Event.builder(Topic.of("ServiceAlive"), "brand", Json.parse("{\"service\":\"brand\",\"instanceId\":\"i-1\","
                + "\"everyMs\":30000,\"handled\":2}")).build();
        Event deployed = Event.builder(Topic.of("ServiceStarted"), "brand", Json.parse("{\"service\":\"brand\",\"instanceId\":\"i-2\","
                + "\"deployed\":true}")).build();
        Event tooLong = Event.builder(Topic.of("ServiceStarted"), "brand", Json.object().put("service", "brand")
                .put("instanceId", "i".repeat(InstanceNote.LONGEST_NAME + 1))).build();

        assertThat(InstanceNote.of(garbled)).isEmpty();
        assertThat(InstanceNote.of(deployed)).as("a function's cold starts are no instances to follow").isEmpty();
        assertThat(InstanceNote.of(tooLong)).isEmpty();
        assertThat(InstanceNote.of(readable)).get().satisfies(n -> {
            assertThat(n.every()).contains(Duration.ofSeconds(30));
            assertThat(n.counter("handled")).contains(2L);
        });
    }

    private static StatusReport report(List<Traffic> traffic, List<InstanceNote> notes, List<RiverStatus> rivers,
                                       List<ConsumerLag> lag) {
        List<Traffic> all = new ArrayList<>(traffic);
        notes.stream().map(InstanceNote::service).distinct().filter(s -> traffic.stream().noneMatch(t -> t.domain().equals(s)))
                .forEach(s -> all.add(started(s, false)));
        return new StatusReport("t", NOW, rivers, lag, Map.of(Plane.FANOUT, 0L, Plane.CONTROL, 0L), Map.of(),
                ServiceSeen.from(all, notes, NOW), List.of(), "archive: 0 event(s)", Json.object(),
                StuckRules.hostHint(StageOptions.EMBEDDED), false, MonitorsReport.empty(NOW));
    }

    private static StatusReport withServices(List<ServiceSeen> services, List<RiverStatus> rivers) {
        return new StatusReport("t", NOW, rivers, List.of(), Map.of(Plane.FANOUT, 0L, Plane.CONTROL, 0L), Map.of(), services,
                List.of(), "archive: 0 event(s)", Json.object(), StuckRules.hostHint(StageOptions.AWS), false, MonitorsReport.empty(NOW));
    }

    private static RiverStatus river(String name, long visible, long inFlight) {
        return new RiverStatus(RiverName.of(name), topics("ViewPage"), visible, inFlight, 0, Optional.empty(), Optional.empty(),
                Optional.of(NOW.minusSeconds(3600)));
    }

    private static TreeSet<Topic> topics(String... names) {
        TreeSet<Topic> topics = new TreeSet<>();
        for (String name : names) {
            topics.add(Topic.of(name));
        }
        return topics;
    }

    private static InstanceNote note(String service, String id, InstanceNote.State state, Instant started, Instant last, long handled) {
        return new InstanceNote(service, id, state, started, last, Json.compact(Json.object().put("service", service)
                .put("instanceId", id).put("everyMs", 30_000).put("handled", handled).put("failed", 0).put("duplicates", 0)));
    }

    private static Traffic started(String service, boolean deployed) {
        return new Traffic(service, Topic.of("ServiceStarted"), 1, NOW.minusSeconds(3600), Optional.of("{\"service\":\"" + service
                + "\",\"instanceId\":\"i-" + service + "\",\"river\":\"" + service + "\",\"consumes\":[\"ViewPage\"],"
                + "\"publishes\":[\"Offer\"]" + (deployed ? ",\"deployed\":true" : "") + "}"));
    }
}
