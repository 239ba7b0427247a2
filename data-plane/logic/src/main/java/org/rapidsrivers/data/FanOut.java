package org.rapidsrivers.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.EventRecord;
import org.rapidsrivers.core.plane.RouteResult;
import org.rapidsrivers.core.plane.Router;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;
import org.rapidsrivers.core.plane.TrafficRecorder;

/**
 * Understands how to fan a batch of rapids records out to the rivers: every whole envelope goes to
 * the router, in order; a record that can never be routed (not JSON, not a whole envelope as every
 * service's {@link Event#parse} reads it, a reserved field, too large) goes to the dead letters once,
 * with the reason, and does not hold up the records after it: no river ever receives what no service could handle.
 * When routing stops at a record, that record and all after it are reported as failed, so the
 * caller retries from there and nothing already delivered is delivered again.
 */
public final class FanOut implements StreamProcessor {
    /** The counts each batch result carries, which the handlers turn into metrics. */
    public static final String ROUTED = "Routed";
    public static final String DEAD_LETTERED = "DeadLettered";
    public static final String PUBLISH_CALLS = "PublishCalls";
    public static final String TRAFFIC_UNRECORDED = "TrafficUnrecorded";

    private final Router router;
    private final DeadLetters deadLetters;
    private final TrafficRecorder traffic;

    public FanOut(Router router, DeadLetters deadLetters, TrafficRecorder traffic) {
        this.router = router;
        this.deadLetters = deadLetters;
        this.traffic = traffic;
    }

    /**
     * Routes the batch in runs of routable records; an unroutable record is buried only after the
     * run before it was routed, and nothing after it is routed until it is buried. So wherever the
     * batch stops, everything before the stop is done and nothing after it is, and the retry from
     * the stop delivers nothing twice and buries nothing twice.
     */
    @Override
    public BatchResult process(List<StreamRecord> batch) {
        Counts counts = new Counts(router.calls());
        List<EventRecord> run = new ArrayList<>(batch.size());
        List<Integer> positions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            StreamRecord record = batch.get(i);
            String unroutable;
            try {
                Event event = Event.parse(record.strictText());
                event.checkSize();
                run.add(new EventRecord(event, record));
                positions.add(i);
                continue;
            } catch (InvalidInput never) {
                unroutable = never.getMessage();
            }
            BatchResult stopped = route(batch, run, positions, counts);
            if (stopped != null) {
                return counts.onto(stopped);
            }
            run.clear();
            positions.clear();
            try {
                deadLetters.bury(record, unroutable);
                counts.deadLettered++;
            } catch (BackendUnavailable unreachable) {
                return counts.onto(BatchResult.unreachableFrom(batch, i, "cannot reach the dead-letter destination: "
                        + unreachable.getMessage()));
            } catch (RuntimeException cannotBury) {
                return counts.onto(BatchResult.failedFrom(batch, i,
                        "cannot reach the dead-letter destination: " + cannotBury.getMessage()));
            }
        }
        BatchResult stopped = route(batch, run, positions, counts);
        return counts.onto(stopped != null ? stopped : BatchResult.success());
    }

    /** Routes one run; null when all of it was delivered, else the failure from the first record not delivered. */
    private BatchResult route(List<StreamRecord> batch, List<EventRecord> run, List<Integer> positions, Counts counts) {
        if (run.isEmpty()) {
            return null;
        }
        RouteResult result;
        try {
            result = router.route(run);
        } catch (BackendUnavailable unreachable) {
            // the stage itself is out of reach (a full disk, a locked database): no record is at fault
            return BatchResult.unreachableFrom(batch, positions.get(0), unreachable.getMessage());
        } catch (RuntimeException failed) {
            result = RouteResult.failedAt(0, failed.getClass().getSimpleName() + ": " + failed.getMessage());
        }
        int delivered = result.allDelivered() ? run.size() : result.firstFailure().getAsInt();
        counts.routed += delivered;
        note(run.subList(0, delivered), counts);
        if (result.allDelivered()) {
            return null;
        }
        return BatchResult.failedFrom(batch, positions.get(result.firstFailure().getAsInt()), result.reason());
    }

    /** What was routed goes into the traffic notes; a note that cannot be kept is counted, never retried. */
    private void note(List<EventRecord> routed, Counts counts) {
        if (routed.isEmpty()) {
            return;
        }
        try {
            traffic.record(routed.stream().map(EventRecord::event).toList());
        } catch (RuntimeException lost) {
            counts.unrecorded += routed.size();
        }
    }

    /** Understands what one batch counted on the way. */
    private final class Counts {
        private final long callsBefore;
        private long routed;
        private long deadLettered;
        private long unrecorded;

        Counts(long callsBefore) {
            this.callsBefore = callsBefore;
        }

        BatchResult onto(BatchResult result) {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put(ROUTED, routed);
            counts.put(DEAD_LETTERED, deadLettered);
            counts.put(PUBLISH_CALLS, router.calls() - callsBefore);
            counts.put(TRAFFIC_UNRECORDED, unrecorded);
            return result.counting(counts);
        }
    }
}
