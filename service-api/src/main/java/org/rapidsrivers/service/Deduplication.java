package org.rapidsrivers.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Understands which events were already handled, by eventId, for a window of time: a message
 * delivered again (at least once, after all) is recognised and skipped. Bounded in size, oldest first.
 */
final class Deduplication {
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    private static final int MOST = 100_000;

    private final Clock clock;
    private final Duration window;
    private final LinkedHashMap<String, Long> handled = new LinkedHashMap<>();

    Deduplication(Clock clock, Duration window) {
        this.clock = clock;
        this.window = window;
    }

    boolean seen(String eventId) {
        expire();
        return handled.containsKey(eventId);
    }

    void handled(String eventId) {
        handled.put(eventId, clock.millis());
        expire();
    }

    private void expire() {
        long oldest = clock.millis() - window.toMillis();
        Iterator<Map.Entry<String, Long>> entries = handled.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Long> entry = entries.next();
            if (entry.getValue() >= oldest && handled.size() <= MOST) {
                return;
            }
            entries.remove();
        }
    }
}
