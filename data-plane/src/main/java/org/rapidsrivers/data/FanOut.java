package org.rapidsrivers.data;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.BatchResult;
import org.rapidsrivers.core.ports.DeadLetters;
import org.rapidsrivers.core.ports.EventRecord;
import org.rapidsrivers.core.ports.RouteResult;
import org.rapidsrivers.core.ports.Router;
import org.rapidsrivers.core.ports.StreamProcessor;
import org.rapidsrivers.core.ports.StreamRecord;

/**
 * Understands how to fan a batch of rapids records out to the rivers: every routable event goes
 * to the router, in order; a record that can never be routed (not JSON, no valid eventType, too
 * large) goes to the dead letters with the reason and does not hold up the records after it.
 * When routing stops at a record, that record and all after it are reported as failed, so the
 * caller retries from there and nothing already delivered is delivered again.
 */
public final class FanOut implements StreamProcessor {
    private final Router router;
    private final DeadLetters deadLetters;

    public FanOut(Router router, DeadLetters deadLetters) {
        this.router = router;
        this.deadLetters = deadLetters;
    }

    @Override
    public BatchResult process(List<StreamRecord> batch) {
        List<EventRecord> routable = new ArrayList<>(batch.size());
        List<Integer> positionOf = new ArrayList<>(batch.size());
        List<Unroutable> unroutable = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            StreamRecord record = batch.get(i);
            try {
                Event event = Event.parseRoutable(record.text());
                event.checkSize();
                routable.add(new EventRecord(event, record));
                positionOf.add(i);
            } catch (InvalidInput never) {
                unroutable.add(new Unroutable(i, record, never.getMessage()));
            }
        }
        int stop = batch.size();
        String reason = "";
        if (!routable.isEmpty()) {
            RouteResult result = routeOrFailAtFirst(routable);
            if (!result.allDelivered()) {
                stop = positionOf.get(result.firstFailure().getAsInt());
                reason = result.reason();
            }
        }
        for (Unroutable dead : unroutable) {
            if (dead.position() >= stop) {
                break;
            }
            try {
                deadLetters.bury(dead.record(), dead.reason());
            } catch (RuntimeException cannotBury) {
                stop = dead.position();
                reason = "cannot reach the dead-letter destination: " + cannotBury.getMessage();
                break;
            }
        }
        return stop == batch.size() ? BatchResult.success() : BatchResult.failedFrom(batch, stop, reason);
    }

    private RouteResult routeOrFailAtFirst(List<EventRecord> events) {
        try {
            return router.route(events);
        } catch (RuntimeException unreachable) {
            return RouteResult.failedAt(0, unreachable.getClass().getSimpleName() + ": " + unreachable.getMessage());
        }
    }

    private record Unroutable(int position, StreamRecord record, String reason) {
    }
}
