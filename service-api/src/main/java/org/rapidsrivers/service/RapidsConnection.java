package org.rapidsrivers.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.ports.Pond;

/**
 * Understands what a service is connected to: somewhere to register its rivers, publish events, set
 * timers, keep what it learns (its pond) and read its settings. {@link ServiceRunner} connects it to a
 * real stage; TestRapids to memory.
 */
public interface RapidsConnection {
    void register(River river);

    /** Publishes an event that starts a chain of its own (not caused by one being handled). */
    void publish(Event event);

    Clock clock();

    /**
     * Runs the task on the service's own thread once the clock has passed the time, with a context
     * as if handling {@code cause}: what it publishes is caused by that event and joins its chain.
     */
    void at(Instant due, Event cause, Consumer<MessageContext> task);

    /**
     * Sets a reminder of a kind for a key, due at {@code due}: kept in the service's own river, so whichever
     * instance of the service runs then handles it, even if the one that set it is gone. The handler given
     * to {@link #onReminder} for the kind runs with a context as if handling {@code cause}: what it
     * publishes joins that chain, under the same eventIds on any instance. Needs' deadlines are reminders.
     */
    void remind(Instant due, Event cause, String kind, String key);

    /** What the service does when a reminder of the kind is due: the key, and a context to publish in. */
    void onReminder(String kind, BiConsumer<String, MessageContext> handler);

    /** The service's pond: what it learned, shared by all its instances, kept across restarts. */
    Pond pond();

    /**
     * A setting of the service, by name (for example "window"): given to rr service with
     * {@code --set window=2s}, else the environment's {@code RR_SET_WINDOW}; in TestRapids, {@code withSetting}.
     */
    Optional<String> setting(String name);
}
