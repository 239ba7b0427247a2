package org.rapidsrivers.embedded;

/**
 * Understands the ids of a river's own messages, those not from the rapids (reminders, replays): their
 * bodies are rows of the reminders table, and their message ids are negative so they never meet a
 * record's. An earlier rr negated the row id (newest first in a river's id order); this one puts the row
 * far below zero ({@link #BASE} + row), so a replay's messages come out in the order they were sent.
 */
final class OwnMessages {
    /** -2^62: every id of this rr's own messages lies below {@link #LEGACY_FLOOR}. */
    static final long BASE = -(1L << 62);
    private static final long LEGACY_FLOOR = -(1L << 61);

    /** The same as {@link #rowOf} for a messages row {@code m}, in SQL. */
    static final String ROW_OF_M_ID = "(CASE WHEN m.id < " + LEGACY_FLOOR + " THEN m.id - (" + BASE + ") ELSE -m.id END)";

    private OwnMessages() {
    }

    static long idOf(long row) {
        return BASE + row;
    }

    static boolean isOwn(long id) {
        return id < 0;
    }

    /**
     * Whether a river's message is a reminder its service set ({@link EmbeddedRivers#putLater}): its own, and no
     * replay's (a replay's copies of archived records are its own messages too, and may hold anything the rapids held).
     */
    static boolean isReminder(long id, long replay) {
        return isOwn(id) && replay == 0;
    }

    static long rowOf(long id) {
        return id < LEGACY_FLOOR ? id - BASE : -id;
    }
}
