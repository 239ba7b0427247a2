package org.rapidsrivers.core.operate;

import java.time.Duration;

/**
 * Understands a time stamped by a clock that runs ahead of the reader's: on a lease (the holder's
 * renewal) or on a river's messages (their visibility), who stamped it and how far ahead. Nothing waits
 * for such a stamp (leases are judged by their renewal counter, such messages count as visible now);
 * status shows it so the clock can be put right.
 */
public record FutureStamp(String what, String by, Duration ahead, long count) {
    /** One line: "3 message(s) of river orders stamped 59m ahead by pid 4242 (rr service offer-engine)". */
    public String describe(String durationWords) {
        return (count > 1 || what.startsWith("river ") ? count + " message(s) of " : "") + what + " stamped "
                + durationWords + " ahead by " + by;
    }
}
