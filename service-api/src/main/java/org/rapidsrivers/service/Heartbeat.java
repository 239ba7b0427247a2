package org.rapidsrivers.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rapidsrivers.core.Timestamps;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.json.Json;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Topic;
import org.rapidsrivers.core.operate.TrafficNotes;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands the two beats of a running service, on a thread of their own: every third of the visibility
 * timeout the messages a handler still works on stay hidden, however long it takes (so the visibility can be
 * short and what a killed instance held comes back within seconds), and every heartbeat a
 * {@code ServiceAlive} says the instance is alive with its river's counters (operators see a silent one as
 * stuck). A stage out of reach skips a beat; the handlers meet the same trouble and say so.
 */
final class Heartbeat implements AutoCloseable {
    private final Backend backend;
    private final String service;
    private final String instanceId;
    private final ServiceSettings settings;
    private final BatchHandler handler;
    private final ScheduledExecutorService beats;
    private final Supplier<Instant> startedAt;

    Heartbeat(Backend backend, String service, String instanceId, ServiceSettings settings, BatchHandler handler,
              Supplier<Instant> startedAt) {
        this.startedAt = startedAt;
        this.backend = backend;
        this.service = service;
        this.instanceId = instanceId;
        this.settings = settings;
        this.handler = handler;
        this.beats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "rr-heartbeat-" + service);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts both beats; {@code alive}: whether ServiceAlive is said (a deployed function has no heartbeat). */
    void start(boolean alive) {
        long every = Math.max(100, settings.visibility().toMillis() / 3);
        beats.scheduleWithFixedDelay(this::keepInHandHidden, every, every, TimeUnit.MILLISECONDS);
        if (alive && !settings.heartbeat().isZero()) {
            long beat = settings.heartbeat().toMillis();
            beats.scheduleWithFixedDelay(this::sayAlive, beat, beat, TimeUnit.MILLISECONDS);
        }
    }

    private void sayAlive() {
        ObjectNode alive = said(service, instanceId, startedAt.get(), handler.stats(), handler.handlerMillis())
                .put("everyMs", settings.heartbeat().toMillis());
        try {
            backend.rapids().publish(Event.builder(Topic.of(TrafficNotes.SERVICE_ALIVE), service, alive).clock(settings.clock()).build());
        } catch (RuntimeException unreachable) {
            // the next beat tries again
        }
    }

    /** What an instance says of itself: which, since when, and its counters since its own start. */
    static ObjectNode said(String service, String instanceId, Instant startedAt, ServiceRunner.Stats now, long handlerMillis) {
        return Json.object()
                .put("service", service)
                .put("instanceId", instanceId)
                .put("river", service)
                .put("startedAt", Timestamps.format(startedAt))
                .put("handled", now.handled())
                .put("failed", now.failed())
                .put("duplicates", now.duplicates())
                .put("handlerMs", handlerMillis);
    }

    private void keepInHandHidden() {
        List<Delivery> held = handler.inHand();
        if (!held.isEmpty()) {
            try {
                backend.rivers().changeVisibility(RiverName.of(service), held, settings.visibility());
            } catch (RuntimeException unreachable) {
                // they may come back to another reader: handled again there, under the same ids
            }
        }
    }

    @Override
    public void close() {
        beats.shutdown();
    }
}
