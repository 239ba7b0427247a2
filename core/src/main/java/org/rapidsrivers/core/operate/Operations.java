package org.rapidsrivers.core.operate;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.rapidsrivers.core.names.RiverName;

/**
 * Understands what an operator asks of a stage, the same on every backend: how each river and each
 * stream consumer is doing, what the planes and the rivers gave up on, putting it back, and what
 * traffic the fan-out has seen. Services do not use it; the shell and the live page do.
 */
public interface Operations {
    /**
     * How many commands the control plane has recorded outcomes for in a ledger only it may write, where the
     * backend keeps one (AWS); empty where the outcome events on the rapids are all there is (embedded), which
     * any producer could add to.
     */
    default OptionalLong outcomesRecorded() {
        return OptionalLong.empty();
    }

    /** Every river of the stage, sorted by name. */
    List<RiverStatus> rivers();

    RiverStatus river(RiverName river);

    /** Every consumer of the rapids and the control stream, per shard. */
    List<ConsumerLag> lag();

    /** Up to {@code max} messages of the river's dead-letter queue, with why each is there, left where they are. */
    List<RiverDeadLetter> deadLetters(RiverName river, int max);

    /**
     * Removes up to {@code max} of the river's dead letters, those {@code ids} names (every one when it is empty),
     * each batch handed to {@code record} first and removed only once it returned (nothing discarded unrecorded:
     * a record that throws removes nothing); the ones removed.
     */
    List<RiverDeadLetter> discardDeadLetters(RiverName river, Set<String> ids, int max, Consumer<List<RiverDeadLetter>> record);

    /**
     * Moves up to {@code max} dead-lettered messages back into the river; how many moved. Interrupted and
     * run again, nothing is lost; embedded each goes back exactly once, on SQS at most the one batch of
     * ten whose send was in flight can go back twice (readers dedup by eventId).
     */
    long redrive(RiverName river, int max);

    /** How many messages the plane's dead letters hold (on AWS one may hold a whole given-up batch). */
    long planeDeadLetterCount(Plane plane);

    /** Up to {@code max} records the plane gave up on, oldest first, left where they are. */
    List<PlaneDeadLetter> planeDeadLetters(Plane plane, int max);

    /** The same for a plane's dead letters: those {@code ids} names (every one when empty), recorded first. */
    List<PlaneDeadLetter> discardPlaneDeadLetters(Plane plane, Set<String> ids, int max, Consumer<List<PlaneDeadLetter>> record);

    /** Puts up to {@code max} of the plane's dead letters back on its stream; what it did. */
    PlaneRedrive redrivePlane(Plane plane, int max);

    /** A reader of the rapids from now on, for watching events flow. */
    RapidsTail tail();

    /** What the fan-out has seen published, by publisher and event type. */
    List<Traffic> traffic();

    /** What each service instance last said of itself, as the fan-out noted it (newest per instance). */
    List<InstanceNote> instances();

    /** Leases and river messages stamped by a clock that runs ahead of this process's, and by whom. */
    List<FutureStamp> stampedAhead();

    /**
     * Understands the result of putting a plane's dead letters back: how many went back, how many could
     * not (cut, or no longer readable), and how many came back during the run (given up on again: each
     * letter goes back at most once per run).
     */
    record PlaneRedrive(long putBack, long leftBehind, long cameBack) {
    }
}
