package org.rapidsrivers.core.ports;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.rapidsrivers.core.names.RiverName;

/**
 * Understands the rivers themselves: durable queues, made on demand, each with a dead-letter queue
 * that takes a message after five receives without a delete.
 */
public interface Rivers {
    int MAX_RECEIVES = 5;

    /** Makes the river (and its dead-letter queue) if it is not there yet. */
    void create(RiverName river);

    boolean exists(RiverName river);

    /** Removes the river and its dead-letter queue with whatever they hold; a river not there is fine. */
    void delete(RiverName river);

    /** Empties the river of every message it holds (not its dead-letter queue); how many there were, as near as the backend can tell. */
    long purge(RiverName river);

    /**
     * Who made the river when it was not the control plane: a deployed service's stack (its river is the
     * stack's, what it consumes fixed there), or someone outside rr; empty when the control plane made it or it
     * does not exist. The control plane changes no river it did not make.
     */
    default Optional<String> madeElsewhere(RiverName river) {
        return Optional.empty();
    }

    /** Every river of the stage, sorted by name. */
    List<RiverName> names();

    /**
     * Waits up to {@code wait} for at least one message and returns up to {@code max} of them. They
     * stay hidden from other readers for {@code visibility}, then come back unless deleted.
     */
    List<Delivery> receive(RiverName river, int max, Duration wait, Duration visibility);

    /** How many messages the river holds that a receive could take now (SQS's ApproximateNumberOfMessages). */
    int depth(RiverName river);

    /** Deletes received messages; a delivery whose visibility ran out and was received again is left alone. */
    void delete(RiverName river, List<Delivery> deliveries);

    /**
     * Puts a message of the river's own into it, visible after {@code delay}: a reminder a service sets
     * itself, never on the rapids, that whichever reader receives it then handles (the one that set it
     * may be gone). SQS counts a delay in whole seconds up to 15 minutes: there it comes up to a second
     * later, and a longer delay is the reader's to put back.
     */
    void putLater(RiverName river, String body, Duration delay);

    /**
     * Moves a received message to the river's dead-letter queue now, with why ({@code note}): what a reader
     * does on the last receive it may fail, so the reason stays with the message. A stale receipt (the message
     * was received again meanwhile) moves nothing; false then.
     */
    boolean deadLetter(RiverName river, Delivery delivery, DeadLetterNote note);

    /**
     * Hides received messages for {@code visibility} from now: longer while a reader still works on them,
     * or zero to give them back at once (a stale receipt changes nothing, as for a delete).
     */
    void changeVisibility(RiverName river, List<Delivery> deliveries, Duration visibility);
}
