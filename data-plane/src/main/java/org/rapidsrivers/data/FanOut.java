package org.rapidsrivers.data;

import java.util.ArrayList;
import java.util.List;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.RouteResult;
import org.rapidsrivers.core.plane.Router;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;

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

    /**
     * Routes the batch in runs of routable records; an unroutable record is buried only after the
     * run before it was routed, and nothing after it is routed until it is buried. So wherever the
     * batch stops, everything before the stop is done and nothing after it is, and the retry from
     * the stop delivers nothing twice and buries nothing twice.
     */
    @Override
    public BatchResult process(List<StreamRecord> batch) {
        List<EventRecord> run = new ArrayList<>(batch.size());
        List<Integer> positions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            StreamRecord record = batch.get(i);
            String unroutable;
            try {
                Event event = Event.parseRoutable(record.strictText());
                event.checkSize();
                run.add(new EventRecord(event, record));
                positions.add(i);
                continue;
            } catch (InvalidInput never) {
                unroutable = never.getMessage();
            }
            BatchResult stopped = route(batch, run, positions);
            if (stopped != null) {
                return stopped;
            }
            run.clear();
            positions.clear();
            try {
                deadLetters.bury(record, unroutable);
            } catch (RuntimeException cannotBury) {
                return BatchResult.failedFrom(batch, i, "cannot reach the dead-letter destination: " + cannotBury.getMessage());
            }
        }
        BatchResult stopped = route(batch, run, positions);
        return stopped != null ? stopped : BatchResult.success();
    }

    /** Routes one run; null when all of it was delivered, else the failure from the first record not delivered. */
    private BatchResult route(List<StreamRecord> batch, List<EventRecord> run, List<Integer> positions) {
        if (run.isEmpty()) {
            return null;
        }
        RouteResult result = routeOrFailAtFirst(run);
        if (result.allDelivered()) {
            return null;
        }
        return BatchResult.failedFrom(batch, positions.get(result.firstFailure().getAsInt()), result.reason());
    }

    private RouteResult routeOrFailAtFirst(List<EventRecord> events) {
        try {
            return router.route(events);
        } catch (RuntimeException unreachable) {
            return RouteResult.failedAt(0, unreachable.getClass().getSimpleName() + ": " + unreachable.getMessage());
        }
    }

}
