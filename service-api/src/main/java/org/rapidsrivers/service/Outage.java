package org.rapidsrivers.service;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Understands a running service's view of a stage it cannot reach for a while (a full disk, a locked
 * data directory, a throttled call): said once when it begins, with what the service does meanwhile,
 * and once when it is over, never a line per message or per second.
 */
final class Outage {
    static final Duration AGAIN_AFTER = Duration.ofSeconds(1);

    private final String service;
    private final Consumer<String> log;
    private boolean ongoing;
    private long retries;

    Outage(String service, Consumer<String> log) {
        this.service = service;
        this.log = log;
    }

    void began(String reason, int messagesHeld) {
        retries++;
        if (!ongoing) {
            ongoing = true;
            log.accept("service " + service + " cannot reach its stage (" + reason + "); it keeps the " + messagesHeld
                    + " message(s) in hand hidden and handles them again every " + AGAIN_AFTER.toSeconds()
                    + " s until the stage answers (nothing is lost)");
        }
    }

    void over() {
        if (ongoing) {
            ongoing = false;
            log.accept("service " + service + " reaches its stage again (after " + retries + " tries) and goes on");
            retries = 0;
        }
    }

    boolean ongoing() {
        return ongoing;
    }
}
