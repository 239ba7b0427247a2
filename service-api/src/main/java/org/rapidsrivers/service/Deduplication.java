package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.node.BooleanNode;
import java.time.Duration;
import java.util.function.Supplier;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands which events the service already handled, by eventId, for a window of time, kept in its
 * pond ({@code rr/seen/<eventId>}, expiring after the window): shared by every instance, so a message
 * delivered again (at least once, after all), to this instance or another, is recognised and skipped.
 * A replayed event is known by its id and its replay's generation: a replay is handled again once. A
 * reminder is known by its own id.
 */
final class Deduplication {
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    private static final String PREFIX = "rr/seen/";
    private static final String REMINDER = "reminder/";

    private final Supplier<Pond> pond;
    private final Duration window;

    Deduplication(Supplier<Pond> pond, Duration window) {
        this.pond = pond;
        this.window = window;
    }

    boolean seen(String eventId, long replay) {
        return pond.get().get(key(eventId, replay)).isPresent();
    }

    void handled(String eventId, long replay) {
        pond.get().put(key(eventId, replay), BooleanNode.TRUE, window);
    }

    /** A reminder by its own id: a copy delivered again after it was handled is skipped. */
    boolean seenReminder(String reminderId) {
        return pond.get().get(PREFIX + REMINDER + reminderId).isPresent();
    }

    void handledReminder(String reminderId) {
        pond.get().put(PREFIX + REMINDER + reminderId, BooleanNode.TRUE, window);
    }

    private static String key(String eventId, long replay) {
        return PREFIX + eventId + (replay == 0 ? "" : "/replay-" + replay);
    }
}
