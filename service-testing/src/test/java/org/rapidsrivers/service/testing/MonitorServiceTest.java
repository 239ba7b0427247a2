package org.rapidsrivers.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.monitor.MonitorState;
import org.rapidsrivers.core.monitor.Verdict;
import org.rapidsrivers.service.RapidsConnection;
import org.rapidsrivers.service.River;
import org.rapidsrivers.service.Service;
import org.rapidsrivers.service.monitor.MonitorService;

/**
 * The monitor service on TestRapids with the fake clock: a service's acceptance test written as its monitor.
 * An answerer answers each Question after the payload's delay (or never, with -1), so chains can be on time,
 * late or unanswered at will.
 */
class MonitorServiceTest {
    private static final String ANSWERS = "answers --when Question --expect Answer --within 3s --at-least 90% --over 1m"
            + " --min-sample 5";

    /** Answers a Question after payload.delayMs (a timer), never when it is negative. */
    static final class Answerer implements Service {
        @Override public String name() { return "answerer"; }

        @Override public Set<String> publishes() { return Set.of("Answer"); }

        @Override
        public void start(RapidsConnection rapids) {
            River.on(rapids).precondition(r -> r.requireType("Question")).validate(r -> r.requireKey("delayMs").interestedIn("answer"))
                    .register((packet, context) -> {
                        long delay = packet.get("delayMs").asLong();
                        if (delay >= 0) {
                            rapids.at(rapids.clock().instant().plusMillis(delay), packet.event(),
                                    later -> later.publish("Answer", Json.object().put("answer", packet.get("answer") == null
                                            ? "yes" : packet.get("answer").asText())));
                        }
                    });
        }
    }

    private static Event ask(TestRapids rapids, long delayMs) {
        return rapids.send("Question", Json.object().put("delayMs", delayMs));
    }

    private static MonitorState state(TestRapids rapids, String name) {
        return rapids.monitorState(name).orElseThrow();
    }

    @Test
    void chainsAnsweredInTimeKeepItHealthyWithTheirRatio() {
        TestRapids rapids = new TestRapids().start(new Answerer());
        rapids.monitor(ANSWERS);
        for (int i = 0; i < 10; i++) {
            ask(rapids, 1_000);
            rapids.advance(Duration.ofSeconds(1));
        }
        rapids.advance(Duration.ofSeconds(5));

        assertThat(state(rapids, "answers").status()).isEqualTo(Verdict.Status.HEALTHY);
        assertThat(state(rapids, "answers").sample()).isEqualTo(10);
        assertThat(state(rapids, "answers").measure()).isEqualTo("100% of 10 chains within 3s");
        assertThat(rapids.published("MonitorBreached")).isEmpty();
        assertThat(rapids.monitorMetrics()).first().asString().contains("\"MonitorBreached\":0", "\"monitor\":\"answers\"",
                "\"Namespace\":\"RapidsRivers/");
    }

    @Test
    void lateAndMissingAnswersBreachWithTheFailingChainsAndRecoveryIsSaid() {
        TestRapids rapids = new TestRapids().start(new Answerer());
        rapids.monitor(ANSWERS);
        for (int i = 0; i < 8; i++) {
            ask(rapids, 500);
        }
        Event late = ask(rapids, 3_001);
        Event unanswered = ask(rapids, -1);
        rapids.advance(Duration.ofSeconds(3));
        assertThat(rapids.published("MonitorBreached")).as("not before the deadline and its lateness").isEmpty();
        rapids.advance(Duration.ofMillis(1_600));

        assertThat(rapids.published("MonitorBreached")).hasSize(1).first().satisfies(breached -> {
            assertThat(breached.payload().path("monitor").asText()).isEqualTo("answers");
            assertThat(breached.payload().path("ratio").asDouble()).isEqualTo(0.8);
            assertThat(breached.payload().path("sample").asLong()).isEqualTo(10);
            assertThat(breached.payload().path("examples")).extracting(n -> n.asText())
                    .containsExactlyInAnyOrder(late.id(), unanswered.id());
        });
        assertThat(state(rapids, "answers").examples()).containsExactlyInAnyOrder(late.id(), unanswered.id());

        // the failing chains leave the window after a minute; good ones after them make it whole again
        for (int i = 0; i < 70; i++) {
            ask(rapids, 100);
            rapids.advance(Duration.ofSeconds(1));
        }
        assertThat(rapids.published("MonitorBreached")).hasSize(1);
        assertThat(rapids.published("MonitorRecovered")).hasSize(1).first()
                .satisfies(recovered -> assertThat(recovered.payload().path("ratio").asDouble()).isGreaterThanOrEqualTo(0.9));
        assertThat(state(rapids, "answers").status()).isEqualTo(Verdict.Status.HEALTHY);
    }

    @Test
    void aSampleBelowTheMinimumNeverBreachesAndChainsThatNeverStartDoNotCount() {
        TestRapids rapids = new TestRapids().start(new Answerer());
        rapids.monitor(ANSWERS);
        for (int i = 0; i < 4; i++) {
            ask(rapids, -1);
        }
        // answers with no question in their chain are not chains of this monitor
        for (int i = 0; i < 20; i++) {
            rapids.send("Answer", Json.object().put("answer", "stray"));
        }
        rapids.advance(Duration.ofSeconds(10));

        assertThat(state(rapids, "answers").status()).isEqualTo(Verdict.Status.PENDING);
        assertThat(state(rapids, "answers").sample()).isEqualTo(4);
        assertThat(rapids.published("MonitorBreached")).isEmpty();
    }

    @Test
    void aRestartedMonitorKeepsItsWindowInItsPondAndSaysNoBreachFalsely() {
        TestRapids rapids = new TestRapids().start(new Answerer());
        rapids.monitor(ANSWERS);
        for (int i = 0; i < 10; i++) {
            ask(rapids, 2_000);
        }
        rapids.advance(Duration.ofMillis(200));
        rapids.withSetting("hold", "3s").restart(new MonitorService(line -> { }));
        rapids.advance(Duration.ofSeconds(2));
        assertThat(rapids.monitorState("answers")).as("held for one visibility after starting").isEmpty();
        rapids.advance(Duration.ofSeconds(8));

        assertThat(state(rapids, "answers").status()).isEqualTo(Verdict.Status.HEALTHY);
        assertThat(state(rapids, "answers").sample()).isEqualTo(10);
        assertThat(rapids.published("MonitorBreached")).isEmpty();
    }

    @Test
    void conditionsChooseTheChainsAndTheAnswersThatCount() {
        TestRapids rapids = new TestRapids().start(new Answerer());
        rapids.monitor("yes-for-vips --when Question --where who=vip --expect Answer --expect-where answer=yes --within 3s"
                + " --at-least 100% --over 1m --min-sample 2");
        rapids.send("Question", Json.object().put("delayMs", 100).put("who", "vip"));
        rapids.send("Question", Json.object().put("delayMs", 100).put("who", "guest").put("answer", "no"));
        rapids.advance(Duration.ofSeconds(5));
        assertThat(state(rapids, "yes-for-vips").sample()).isEqualTo(1);

        Event no = rapids.send("Question", Json.object().put("delayMs", 100).put("who", "vip").put("answer", "no"));
        rapids.advance(Duration.ofSeconds(5));

        assertThat(state(rapids, "yes-for-vips").status()).isEqualTo(Verdict.Status.BREACHED);
        assertThat(state(rapids, "yes-for-vips").examples()).containsExactly(no.id());
    }

    @Test
    void anAbsenceBreachesOnOneAndARateWhenTheTrafficStops() {
        TestRapids rapids = new TestRapids().start(new Answerer());
        rapids.monitor("no-stray --expect-none Answer --where answer=stray --over 30s");
        rapids.monitor("traffic --when Question --at-least 6/min --over 30s");
        for (int i = 0; i < 40; i++) {
            ask(rapids, 10);
            rapids.advance(Duration.ofSeconds(1));
        }
        assertThat(state(rapids, "traffic").status()).isEqualTo(Verdict.Status.HEALTHY);
        assertThat(state(rapids, "no-stray").status()).isEqualTo(Verdict.Status.HEALTHY);

        rapids.send("Answer", Json.object().put("answer", "stray"));
        rapids.advance(Duration.ofSeconds(30));

        assertThat(rapids.published("MonitorBreached")).extracting(e -> e.payload().path("monitor").asText())
                .containsExactlyInAnyOrder("no-stray", "traffic");
        rapids.advance(Duration.ofSeconds(2));
        assertThat(rapids.published("MonitorRecovered")).extracting(e -> e.payload().path("monitor").asText())
                .containsExactly("no-stray");
    }
}
