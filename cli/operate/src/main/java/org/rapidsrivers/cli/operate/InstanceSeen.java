package org.rapidsrivers.cli.operate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.rapidsrivers.core.operate.InstanceNote;

/**
 * Understands one instance of a service as an operator sees it now: running (it said it started or is alive,
 * within three of its heartbeats), silent (it stopped beating without saying it stopped: killed, hung or cut
 * off), or stopped (it said {@code ServiceStopped}); and for how long. A silent or stopped instance is shown
 * for an hour, then dropped: it is history, not the stage's state. Its counters are its own, from its own start.
 */
public record InstanceSeen(InstanceNote note, Condition condition, Duration since) {
    /** Beats missed before a running instance counts as silent. */
    public static final int MISSED_BEATS = 3;
    /** A silent or stopped instance is shown this long, then dropped. */
    public static final Duration SHOWN_FOR = Duration.ofHours(1);

    /** Understands what an instance is doing, as far as its words tell. */
    public enum Condition {
        RUNNING, SILENT, STOPPED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The instance as it stands at {@code now}. */
    public static InstanceSeen at(InstanceNote note, Instant now) {
        Duration quiet = Duration.between(note.lastAt(), now);
        if (note.state() == InstanceNote.State.STOPPED) {
            return new InstanceSeen(note, Condition.STOPPED, quiet);
        }
        // one that never said how often it beats cannot be judged silent: it is taken at its word
        boolean silent = note.every().map(every -> quiet.compareTo(every.multipliedBy(MISSED_BEATS)) > 0).orElse(false);
        return silent ? new InstanceSeen(note, Condition.SILENT, quiet) : new InstanceSeen(note, Condition.RUNNING, quiet);
    }

    /** The instances an operator is shown at {@code now}: every running one, the others for an hour. */
    public static List<InstanceSeen> shown(List<InstanceNote> notes, Instant now) {
        return notes.stream().map(note -> at(note, now)).filter(seen -> seen.running() || seen.since().compareTo(SHOWN_FOR) <= 0)
                .toList();
    }

    public boolean running() {
        return condition == Condition.RUNNING;
    }

    public String service() {
        return note.service();
    }

    public String instanceId() {
        return note.instanceId();
    }

    /** "running", "silent 2m", "stopped 5m ago". */
    public String describe() {
        return switch (condition) {
            case RUNNING -> "running";
            case SILENT -> "silent " + DurationWords.of(since);
            case STOPPED -> "stopped " + DurationWords.of(since) + " ago";
        };
    }

    public Optional<Long> handled() {
        return counter("handled");
    }

    public Optional<Long> failed() {
        return counter("failed");
    }

    public Optional<Long> duplicates() {
        return counter("duplicates");
    }

    /** What it said; an instance that only said it started has handled nothing yet. */
    private Optional<Long> counter(String name) {
        return note.counter(name).or(() -> note.state() == InstanceNote.State.STARTED ? Optional.of(0L) : Optional.empty());
    }
}
