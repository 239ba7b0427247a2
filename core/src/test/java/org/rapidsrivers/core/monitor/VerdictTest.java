package org.rapidsrivers.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** A window's arithmetic on event time: its edges, late answers, the minimum sample, and any mix of chains. */
class VerdictTest {
    private static final MonitorRule BUNDLES = MonitorRule.parse("bundles --when ViewPage --expect OfferBundle --within 3s"
            + " --at-least 90% --over 1m --min-sample 3");
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration LATENESS = Duration.ofMillis(500);

    @Test
    void aChainIsJudgedOnlyOnceItsDeadlineIsLatenessBehindNow() {
        long start = NOW.toEpochMilli() - 3_500;
        Verdict due = Verdict.followUp(BUNDLES, Map.of("c", start), Map.of(), NOW, LATENESS);
        Verdict notYet = Verdict.followUp(BUNDLES, Map.of("c", start + 1), Map.of(), NOW, LATENESS);

        assertThat(due.sample()).isEqualTo(1);
        assertThat(due.examples()).containsExactly("c");
        assertThat(notYet.sample()).isZero();
        assertThat(notYet.measure()).isEqualTo("no chain judged yet");
    }

    @Test
    void anAnswerAtTheDeadlineKeepsItAndOneAMillisecondLaterIsLate() {
        long start = NOW.toEpochMilli() - 10_000;
        Verdict kept = Verdict.followUp(BUNDLES, Map.of("c", start), Map.of("c", start + 3_000), NOW, LATENESS);
        Verdict late = Verdict.followUp(BUNDLES, Map.of("c", start), Map.of("c", start + 3_001), NOW, LATENESS);

        assertThat(kept.ratio()).isEqualTo(1.0);
        assertThat(late.ratio()).isEqualTo(0.0);
        assertThat(late.examples()).containsExactly("c");
    }

    @Test
    void chainsOlderThanTheWindowAndAnswersWithoutAStartDoNotCount() {
        long newestDue = NOW.toEpochMilli() - 3_500;
        Map<String, Long> started = Map.of("in", newestDue - 59_999, "out", newestDue - 60_000);
        Verdict verdict = Verdict.followUp(BUNDLES, started, Map.of("never-started", newestDue), NOW, LATENESS);

        assertThat(verdict.sample()).isEqualTo(1);
        assertThat(verdict.examples()).containsExactly("in");
    }

    @Test
    void belowTheMinimumSampleAWindowIsPendingAndThenBreaches() {
        long start = NOW.toEpochMilli() - 20_000;
        Map<String, Long> started = new HashMap<>(Map.of("a", start, "b", start + 1));
        assertThat(Verdict.followUp(BUNDLES, started, Map.of(), NOW, LATENESS).status()).isEqualTo(Verdict.Status.PENDING);
        started.put("c", start + 2);
        Verdict three = Verdict.followUp(BUNDLES, started, Map.of(), NOW, LATENESS);
        assertThat(three.status()).isEqualTo(Verdict.Status.BREACHED);
        assertThat(three.examples()).as("the newest failing chains first").containsExactly("c", "b", "a");
    }

    @Test
    void aBreachedMonitorWhoseSampleShrinksStaysBreachedUntilAHealthyWindow() {
        MonitorState breached = MonitorState.after("bundles", null,
                new Verdict(Verdict.Status.BREACHED, 0.5, 10, List.of("x"), "50%"), NOW);
        MonitorState pending = MonitorState.after("bundles", breached,
                new Verdict(Verdict.Status.PENDING, 1.0, 1, List.of(), "100%"), NOW.plusSeconds(5));
        MonitorState healthy = MonitorState.after("bundles", pending,
                new Verdict(Verdict.Status.HEALTHY, 1.0, 10, List.of(), "100%"), NOW.plusSeconds(9));

        assertThat(pending.status()).isEqualTo(Verdict.Status.BREACHED);
        assertThat(pending.since()).isEqualTo(NOW);
        assertThat(healthy.since()).isEqualTo(NOW.plusSeconds(9));
        assertThat(MonitorState.fromJson(healthy.toJson())).isEqualTo(healthy);
    }

    @Test
    void aRateWaitsForAWholeWindowAndAnAbsenceBreachesOnOne() {
        MonitorRule rate = MonitorRule.parse("traffic --when ViewPage --at-least 2/min --over 1m");
        MonitorRule none = MonitorRule.parse("quiet --expect-none ControlCommandRejected --over 1m");
        long t = NOW.toEpochMilli() - 1_000;

        assertThat(Verdict.counted(rate, Map.of("e", t), NOW, LATENESS, NOW.minusSeconds(30)).status()).isEqualTo(Verdict.Status.PENDING);
        assertThat(Verdict.counted(rate, Map.of("e", t), NOW, LATENESS, NOW.minusSeconds(61)).status()).isEqualTo(Verdict.Status.BREACHED);
        assertThat(Verdict.counted(rate, Map.of("e", t, "f", t - 1), NOW, LATENESS, NOW.minusSeconds(61)).status())
                .isEqualTo(Verdict.Status.HEALTHY);
        Verdict one = Verdict.counted(none, Map.of("r", t), NOW, LATENESS, NOW);
        assertThat(one.status()).isEqualTo(Verdict.Status.BREACHED);
        assertThat(one.examples()).containsExactly("r");
        assertThat(Verdict.counted(none, Map.of("r", NOW.toEpochMilli() - 61_000), NOW, LATENESS, NOW).status())
                .isEqualTo(Verdict.Status.HEALTHY);
    }

    /** One chain: when it started (ms before now) and how long its answer took (negative: none came). */
    record Chain(long ago, long took) {
    }

    @Property(tries = 300)
    void theRatioIsTheShareOfChainsInTheWindowAnsweredInTime(@ForAll("chains") List<Chain> chains) {
        Map<String, Long> started = new HashMap<>();
        Map<String, Long> met = new HashMap<>();
        long due = 0;
        long kept = 0;
        for (int i = 0; i < chains.size(); i++) {
            Chain chain = chains.get(i);
            long at = NOW.toEpochMilli() - chain.ago();
            started.put("c" + i, at);
            if (chain.took() >= 0) {
                met.put("c" + i, at + chain.took());
            }
            boolean inWindow = chain.ago() >= 3_500 && chain.ago() < 63_500;
            if (inWindow) {
                due++;
                kept += chain.took() >= 0 && chain.took() <= 3_000 ? 1 : 0;
            }
        }
        Verdict verdict = Verdict.followUp(BUNDLES, started, met, NOW, LATENESS);

        assertThat(verdict.sample()).isEqualTo(due);
        assertThat(verdict.ratio()).isEqualTo(due == 0 ? 1.0 : (double) kept / due);
        assertThat(verdict.status()).isEqualTo(due < 3 ? Verdict.Status.PENDING
                : (double) kept / due < 0.9 ? Verdict.Status.BREACHED : Verdict.Status.HEALTHY);
        assertThat(verdict.examples()).hasSize((int) Math.min(Verdict.EXAMPLES, due - kept));
    }

    @Provide
    Arbitrary<List<Chain>> chains() {
        Arbitrary<Long> ago = Arbitraries.oneOf(Arbitraries.longs().between(0, 70_000),
                Arbitraries.of(3_499L, 3_500L, 3_501L, 63_499L, 63_500L, 63_501L));
        Arbitrary<Long> took = Arbitraries.oneOf(Arbitraries.longs().between(-1, 6_000), Arbitraries.of(2_999L, 3_000L, 3_001L));
        return Combinators.combine(ago, took).as(Chain::new).list().ofMaxSize(40);
    }
}
