package org.rapidsrivers.core.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rapidsrivers.core.DurationText;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.Printable;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands a monitor: a sentence about the stage's business outcomes, one of three kinds.
 * <ul>
 *   <li>follow-up: {@code --when ViewPage --expect OfferBundle --within 3s --at-least 99% --over 10m}: of the
 *   chains a ViewPage starts, at least 99% over ten minutes hold an OfferBundle within 3 s of it (the chain is
 *   the correlationId); {@code --where} conditions choose the starting events, {@code --expect-where} the
 *   expected ones; no breach before {@code --min-sample} chains (10) were judged;</li>
 *   <li>rate: {@code --when ViewPage --at-least 1/min --over 10m}: the traffic itself, at least so many
 *   events (of those the {@code --where} conditions choose) per second, minute or hour over the window;</li>
 *   <li>absence: {@code --expect-none ControlCommandRejected --over 10m}: none at all in the window.</li>
 * </ul>
 * The words are the rule: kept as they are given (in a canonical order), parsed again wherever it is read.
 */
public record MonitorRule(String name, Kind kind, Topic when, List<Condition> whenWhere, Topic expect,
                          List<Condition> expectWhere, Duration within, double atLeast, Duration over, int minSample) {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    public static final Duration DEFAULT_OVER = Duration.ofMinutes(10);
    public static final int DEFAULT_MIN_SAMPLE = 10;
    static final int MAX_CONDITIONS = 5;
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3})?)%");
    private static final Pattern RATE = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)/(s|min|h)");
    private static final String OPTIONS = "--when, --where, --expect, --expect-where, --expect-none, --within, --at-least,"
            + " --over, --min-sample";

    /** What the rule says about its window. */
    public enum Kind { FOLLOW_UP, RATE, ABSENCE }

    public MonitorRule {
        whenWhere = List.copyOf(whenWhere);
        expectWhere = List.copyOf(expectWhere);
    }

    /**
     * Reads a monitor's name and its rule's words ({@code --when ViewPage --expect OfferBundle ...}); anything
     * wrong is one line naming the word and what is allowed.
     */
    public static MonitorRule parse(String name, List<String> words) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInput("a monitor's name is 1-64 lowercase letters, digits and -, starting with a letter or digit;"
                    + " got '" + Printable.of(String.valueOf(name)) + "'");
        }
        String when = null;
        String expect = null;
        String none = null;
        String within = null;
        String atLeast = null;
        String over = null;
        String minSample = null;
        List<Condition> where = new ArrayList<>();
        List<Condition> expectWhere = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String option = words.get(i);
            if (!option.startsWith("--")) {
                throw new InvalidInput("monitor " + name + ": '" + Printable.of(option) + "' is not an option (allowed: " + OPTIONS + ")");
            }
            if (i + 1 >= words.size() || words.get(i + 1).startsWith("--")) {
                throw new InvalidInput("monitor " + name + ": " + Printable.of(option) + " needs a value");
            }
            String value = words.get(++i);
            switch (option) {
                case "--when" -> when = once(name, option, when, value);
                case "--expect" -> expect = once(name, option, expect, value);
                case "--expect-none" -> none = once(name, option, none, value);
                case "--within" -> within = once(name, option, within, value);
                case "--at-least" -> atLeast = once(name, option, atLeast, value);
                case "--over" -> over = once(name, option, over, value);
                case "--min-sample" -> minSample = once(name, option, minSample, value);
                case "--where" -> where.add(Condition.parse(value, "--where"));
                case "--expect-where" -> expectWhere.add(Condition.parse(value, "--expect-where"));
                default -> throw new InvalidInput("monitor " + name + ": unknown option " + Printable.of(option)
                        + " (allowed: " + OPTIONS + ")");
            }
        }
        if (where.size() > MAX_CONDITIONS || expectWhere.size() > MAX_CONDITIONS) {
            throw new InvalidInput("monitor " + name + ": at most " + MAX_CONDITIONS + " --where and " + MAX_CONDITIONS
                    + " --expect-where conditions");
        }
        Duration window = over == null ? DEFAULT_OVER
                : DurationText.parse(over, "--over", Duration.ofSeconds(1), Duration.ofHours(24));
        if (none != null) {
            if (when != null || expect != null || within != null || atLeast != null || minSample != null || !expectWhere.isEmpty()) {
                throw new InvalidInput("monitor " + name + ": --expect-none <type> stands alone, with --where and --over"
                        + " (no --when, --expect, --within, --at-least or --min-sample)");
            }
            return new MonitorRule(name, Kind.ABSENCE, type(none, "--expect-none"), where, null, List.of(), Duration.ZERO, 0,
                    window, 1);
        }
        if (when == null) {
            throw new InvalidInput("monitor " + name + ": give --when <type> (with --expect, or --at-least N/min for a rate)"
                    + " or --expect-none <type>");
        }
        if (atLeast == null) {
            throw new InvalidInput("monitor " + name + ": give --at-least: a percentage of chains (99%) with --expect,"
                    + " else a rate (1/min)");
        }
        if (expect == null) {
            if (within != null || minSample != null || !expectWhere.isEmpty()) {
                throw new InvalidInput("monitor " + name + ": --within, --min-sample and --expect-where belong to a follow-up:"
                        + " give --expect <type> too");
            }
            return new MonitorRule(name, Kind.RATE, type(when, "--when"), where, null, List.of(), Duration.ZERO,
                    rate(name, atLeast), window, 1);
        }
        if (within == null) {
            throw new InvalidInput("monitor " + name + ": a follow-up needs --within <duration> (3s): how soon the "
                    + expect + " must follow");
        }
        Duration soon = DurationText.parse(within, "--within", Duration.ofMillis(1), Duration.ofHours(1));
        if (soon.compareTo(window) >= 0) {
            throw new InvalidInput("monitor " + name + ": --within " + within + " must be shorter than --over "
                    + (over == null ? "10m" : over) + ", the window its chains are judged in");
        }
        int sample = minSample == null ? DEFAULT_MIN_SAMPLE : count(name, minSample);
        return new MonitorRule(name, Kind.FOLLOW_UP, type(when, "--when"), where, type(expect, "--expect"), expectWhere, soon,
                percent(name, atLeast), window, sample);
    }

    /** Reads a rule as one line of words, its name first: {@code bundles --when ViewPage ...} (TestRapids' form). */
    public static MonitorRule parse(String line) {
        List<String> words = new ArrayList<>(List.of(line.strip().split("\\s+")));
        if (words.isEmpty() || words.get(0).isEmpty()) {
            throw new InvalidInput("a monitor is its name and its rule: bundles --when ViewPage --expect OfferBundle"
                    + " --within 3s --at-least 99%");
        }
        return parse(words.remove(0), words);
    }

    /** The event types it needs to see. */
    public Set<String> types() {
        Set<String> types = new LinkedHashSet<>();
        types.add(when.value());
        if (expect != null) {
            types.add(expect.value());
        }
        return types;
    }

    /** The rule's words in their canonical order, as parse reads them. */
    public List<String> words() {
        List<String> words = new ArrayList<>();
        switch (kind) {
            case ABSENCE -> add(words, "--expect-none", when.value());
            case RATE, FOLLOW_UP -> add(words, "--when", when.value());
        }
        whenWhere.forEach(c -> add(words, "--where", c.toString()));
        if (kind == Kind.FOLLOW_UP) {
            add(words, "--expect", expect.value());
            expectWhere.forEach(c -> add(words, "--expect-where", c.toString()));
            add(words, "--within", millis(within));
            add(words, "--at-least", number(atLeast * 100) + "%");
        } else if (kind == Kind.RATE) {
            add(words, "--at-least", rateText());
        }
        add(words, "--over", millis(over));
        if (kind == Kind.FOLLOW_UP && minSample != DEFAULT_MIN_SAMPLE) {
            add(words, "--min-sample", String.valueOf(minSample));
        }
        return words;
    }

    /** The rule as one line: its words. */
    public String text() {
        return String.join(" ", words());
    }

    /** How many events a rate rule wants in its whole window. */
    public double wantedInWindow() {
        return atLeast * over.toMillis() / 60_000.0;
    }

    /** "1/min" or "0.5/s": a rate rule's --at-least, per minute kept as it reads best. */
    String rateText() {
        if (atLeast >= 60 && atLeast % 60 == 0) {
            return number(atLeast / 60) + "/s";
        }
        if (atLeast < 1 && (atLeast * 60) == Math.rint(atLeast * 60)) {
            return number(atLeast * 60) + "/h";
        }
        return number(atLeast) + "/min";
    }

    private static void add(List<String> words, String option, String value) {
        words.add(option);
        words.add(value);
    }

    private static String once(String name, String option, String before, String value) {
        if (before != null) {
            throw new InvalidInput("monitor " + name + ": " + option + " is given twice");
        }
        return value;
    }

    private static Topic type(String text, String option) {
        if (!Topic.isValid(text)) {
            throw new InvalidInput(option + " '" + Printable.of(text) + "' is not an event type: " + Topic.RULE);
        }
        return Topic.of(text);
    }

    private static double percent(String name, String text) {
        Matcher matcher = PERCENT.matcher(text);
        double value = matcher.matches() ? Double.parseDouble(matcher.group(1)) : -1;
        if (value < 0 || value > 100) {
            throw new InvalidInput("monitor " + name + ": --at-least '" + Printable.of(text) + "' is not a percentage from 0% to 100%"
                    + " (99%, 99.5%)");
        }
        return value / 100;
    }

    /** Events per minute. */
    private static double rate(String name, String text) {
        Matcher matcher = RATE.matcher(text);
        double value = matcher.matches() ? Double.parseDouble(matcher.group(1)) : 0;
        if (value <= 0) {
            throw new InvalidInput("monitor " + name + ": --at-least '" + Printable.of(text) + "' is not a rate above zero:"
                    + " a number per s, min or h (1/min, 5/s); a percentage needs --expect");
        }
        return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "s" -> value * 60;
            case "h" -> value / 60;
            default -> value;
        };
    }

    private static int count(String name, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= 100_000) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new InvalidInput("monitor " + name + ": --min-sample '" + Printable.of(text) + "' is not a whole number from 1 to 100000");
    }

    static String millis(Duration duration) {
        long ms = duration.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    static String number(double value) {
        double rounded = Math.round(value * 1000) / 1000.0;
        return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.valueOf(rounded);
    }
}
