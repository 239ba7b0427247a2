package org.rapidsrivers.core.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Understands what a monitor's window says at one moment: healthy, breached, or pending (too few chains judged
 * yet, or a rate's window not yet whole since the monitor was added); the ratio, the sample it rests on and a
 * few failing chains. All of it on event time: a chain is judged only once its deadline (its start's
 * timestamp plus {@code --within}) is {@code lateness} behind {@code now}, so an expected event still on its
 * way is waited for, and the evaluator runs only once it has read its river up to date.
 */
public record Verdict(Status status, double ratio, long sample, List<String> examples, String measure) {
    public static final int EXAMPLES = 3;

    /** A monitor's health. */
    public enum Status {
        HEALTHY, BREACHED, PENDING;

        /** As people and the JSON read it: healthy, breached, pending. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Verdict {
        examples = List.copyOf(examples);
    }

    /**
     * A follow-up's verdict: {@code started} holds each chain's start (its correlationId and the starting
     * event's time, epoch ms), {@code met} the time of the first expected event of each chain that had one.
     */
    public static Verdict followUp(MonitorRule rule, Map<String, Long> started, Map<String, Long> met, Instant now,
                                   Duration lateness) {
        long newestDue = now.toEpochMilli() - lateness.toMillis() - rule.within().toMillis();
        long oldest = newestDue - rule.over().toMillis();
        long sample = 0;
        long kept = 0;
        List<Map.Entry<String, Long>> failed = new ArrayList<>();
        for (Map.Entry<String, Long> chain : started.entrySet()) {
            long at = chain.getValue();
            if (at <= oldest || at > newestDue) {
                continue;
            }
            sample++;
            Long answered = met.get(chain.getKey());
            if (answered != null && answered - at <= rule.within().toMillis()) {
                kept++;
            } else {
                failed.add(chain);
            }
        }
        double ratio = sample == 0 ? 1.0 : (double) kept / sample;
        List<String> examples = failed.stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey())).limit(EXAMPLES).map(Map.Entry::getKey).toList();
        Status status = sample < rule.minSample() ? Status.PENDING : ratio < rule.atLeast() ? Status.BREACHED : Status.HEALTHY;
        String measure = sample == 0 ? "no chain judged yet" : MonitorRule.number(ratio * 100) + "% of " + sample + " chain"
                + (sample == 1 ? "" : "s") + " within " + MonitorRule.millis(rule.within())
                + (status == Status.PENDING ? " (breaches from " + rule.minSample() + ")" : "");
        return new Verdict(status, ratio, sample, examples, measure);
    }

    /**
     * A rate's or an absence's verdict over the events seen ({@code seen}: eventId to time): the window ends
     * {@code lateness} before now; a rate is pending until its window is whole since {@code since}, when the
     * monitor was added.
     */
    public static Verdict counted(MonitorRule rule, Map<String, Long> seen, Instant now, Duration lateness, Instant since) {
        long newest = now.toEpochMilli() - lateness.toMillis();
        long oldest = newest - rule.over().toMillis();
        List<Map.Entry<String, Long>> inWindow = seen.entrySet().stream().filter(e -> e.getValue() > oldest && e.getValue() <= newest)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .toList();
        long count = inWindow.size();
        String window = " in " + MonitorRule.millis(rule.over());
        if (rule.kind() == MonitorRule.Kind.ABSENCE) {
            return new Verdict(count == 0 ? Status.HEALTHY : Status.BREACHED, count == 0 ? 1.0 : 0.0, count,
                    inWindow.stream().limit(EXAMPLES).map(Map.Entry::getKey).toList(),
                    (count == 0 ? "none" : String.valueOf(count)) + window);
        }
        double wanted = rule.wantedInWindow();
        double ratio = Math.min(1.0, count / wanted);
        boolean whole = !since.plus(rule.over()).plus(lateness).isAfter(now);
        Status status = !whole ? Status.PENDING : count < wanted ? Status.BREACHED : Status.HEALTHY;
        return new Verdict(status, ratio, count, List.of(), count + window + " (at least " + MonitorRule.number(wanted) + ")"
                + (whole ? "" : " (window not whole yet)"));
    }
}
