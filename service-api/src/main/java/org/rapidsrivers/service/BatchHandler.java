package org.rapidsrivers.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.rapidsrivers.core.BackendUnavailable;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.event.Event;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.ports.DeadLetterNote;
import org.rapidsrivers.core.ports.Delivery;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.stage.Backend;

/**
 * Understands what becomes of one batch of a service's river, however it was received (by the runner's
 * own loop, or by Lambda's event source mapping): each event handed to the service's rivers unless its
 * eventId was handled already, each reminder to its kind's handler when due (put back for later when
 * not), what the handlers published put on the rapids together with the mark that it was handled, and
 * the messages that may now be deleted given back. While the stage is out of reach, the messages in hand
 * stay hidden and are handled again every second. Events come first and reminders last, so a deadline
 * in the same batch as a solution sees the solution.
 */
final class BatchHandler {
    private final Backend backend;
    private final String service;
    private final String instanceId;
    private final RiverName river;
    private final Dispatcher dispatcher;
    private final Deduplication deduplication;
    private final ServiceSettings settings;
    private final Outage outage;
    private final BooleanSupplier caughtUp;
    private final BooleanSupplier stopping;
    private final Map<String, BiConsumer<String, MessageContext>> reminders = new ConcurrentHashMap<>();
    private volatile List<Delivery> inHand = List.of();
    private long handled;
    private long duplicates;
    private long failed;
    private volatile long handlerNanos;

    BatchHandler(Backend backend, String service, String instanceId, Dispatcher dispatcher, Deduplication deduplication,
                 ServiceSettings settings, Outage outage, BooleanSupplier caughtUp, BooleanSupplier stopping) {
        this.backend = backend;
        this.service = service;
        this.instanceId = instanceId;
        this.river = RiverName.of(service);
        this.dispatcher = dispatcher;
        this.deduplication = deduplication;
        this.settings = settings;
        this.outage = outage;
        this.caughtUp = caughtUp;
        this.stopping = stopping;
    }

    void onReminder(String kind, BiConsumer<String, MessageContext> handler) {
        if (reminders.putIfAbsent(kind, handler) != null) {
            throw new IllegalArgumentException("service " + service + " handles reminders of kind " + kind + " twice");
        }
    }

    /** The ones handled, which may be deleted. */
    List<Delivery> handle(List<Delivery> batch) {
        List<Delivery> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparing(Delivery::reminder));
        inHand = ordered;
        try {
            List<Delivery> done = new ArrayList<>(ordered.size());
            for (int i = 0; i < ordered.size(); i++) {
                if (handleOne(ordered.get(i), ordered.subList(i, ordered.size()))) {
                    done.add(ordered.get(i));
                }
            }
            return done;
        } finally {
            inHand = List.of();
        }
    }

    /** What a handler is working on now: the heartbeat keeps it hidden. */
    List<Delivery> inHand() {
        return inHand;
    }

    ServiceRunner.Stats stats() {
        return new ServiceRunner.Stats(handled, duplicates, failed, dispatcher.refused());
    }

    long handlerMillis() {
        return handlerNanos / 1_000_000;
    }

    /**
     * One message; {@code held} is it and the rest of its batch, kept hidden while the stage is out of reach:
     * the message is then handled again every second, its receive count untouched, until the stage answers.
     */
    private boolean handleOne(Delivery delivery, List<Delivery> held) {
        Optional<Reminder> reminder;
        Event event;
        try {
            reminder = Reminder.in(delivery, service, settings.clock().instant());
            event = reminder.isPresent() ? null : Event.parse(delivery.body());
        } catch (InvalidInput refused) {
            giveUpOrLeave(delivery, "a message of river " + river, "cannot be handled: " + refused.getMessage());
            return false;
        }
        if (reminder.isPresent()) {
            return remember(delivery, reminder.get(), held);
        }
        if (deduplication.seen(event.id(), delivery.replay())) {
            duplicates++;
            return true;
        }
        long began = System.nanoTime();
        boolean done = attempt(delivery, held, "event " + event.id() + " (" + event.type() + ")",
                () -> dispatcher.handle(event, delivery.replay()), () -> deduplication.handled(event.id(), delivery.replay()));
        handlerNanos += System.nanoTime() - began;
        if (done) {
            handled++;
        }
        return done;
    }

    /**
     * A reminder that is due runs its kind's handler; one that came early (SQS delays at most 15 minutes)
     * or before the service read the backlog a restart left it (so a deadline sees the solutions that came
     * before it) is put back for later as a new message, so waiting never counts a receive.
     */
    private boolean remember(Delivery delivery, Reminder reminder, List<Delivery> held) {
        BiConsumer<String, MessageContext> handler = reminders.get(reminder.kind());
        if (handler == null) {
            settings.log().accept("a reminder of kind " + reminder.kind() + " (key " + reminder.key() + ") came, but no river of"
                    + " service " + service + " handles that kind any more: forgotten");
            return true;
        }
        if (deduplication.seenReminder(reminder.id())) {
            duplicates++;
            return true;
        }
        Duration early = Duration.between(settings.clock().instant(), reminder.due());
        boolean notYet = !early.isNegative() && !early.isZero();
        if (notYet || !caughtUp.getAsBoolean()) {
            backend.rivers().putLater(river, reminder.toText(), notYet ? early : Outage.AGAIN_AFTER);
            return true;
        }
        return attempt(delivery, held, "reminder " + reminder.kind() + " " + reminder.key(),
                () -> dispatcher.run(reminder.cause(), reminder.namespace(), context -> handler.accept(reminder.key(), context)),
                () -> deduplication.handledReminder(reminder.id()));
    }

    /**
     * Handles, then publishes and records that it did ({@code recorded}: the de-duplication mark) together
     * ({@link Backend#together}: one transaction on the embedded backend, so a crash never leaves the events out
     * and the message unmarked); false when it failed (the message comes back) or was given up for a stop.
     */
    private boolean attempt(Delivery delivery, List<Delivery> held, String what, Supplier<Dispatcher.Handled> work,
                            Runnable recorded) {
        while (true) {
            try {
                publishTogether(work.get(), recorded);
                return true;
            } catch (BackendUnavailable unreachable) {
                // the stage itself is out of reach: no fault of the message or the handler
                outage.began(unreachable.getMessage(), held.size());
                if (stopping.getAsBoolean() || !pause(held)) {
                    return false;
                }
            } catch (RuntimeException failure) {
                failed++;
                giveUpOrLeave(delivery, what, DeadLetterNote.of(failure));
                return false;
            }
        }
    }

    /**
     * A message that failed: on its last receive it goes to the river's dead-letter queue now, with why (so the
     * reason stays with it); before that it is left to come back. Either way the log says which it was.
     */
    private void giveUpOrLeave(Delivery delivery, String what, String failure) {
        String receive = "receive " + delivery.receiveCount() + " of " + Rivers.MAX_RECEIVES;
        if (delivery.receiveCount() < Rivers.MAX_RECEIVES) {
            settings.log().accept("handling " + what + " failed, left for redelivery (" + receive + "): " + failure);
            return;
        }
        try {
            DeadLetterNote note = new DeadLetterNote(failure, delivery.receiveCount(), service, instanceId, settings.clock().instant());
            if (backend.rivers().deadLetter(river, delivery, note)) {
                settings.log().accept("handling " + what + " failed on its last " + receive + ", dead-lettered to " + river
                        + "-dlq with the reason (deadletters --river " + river + " shows it): " + failure);
                return;
            }
            settings.log().accept("handling " + what + " failed (" + receive + "): " + failure + "; it was received again"
                    + " meanwhile, so it was left where it is");
        } catch (RuntimeException unreachable) {
            settings.log().accept("handling " + what + " failed on its last " + receive + ": " + failure + "; it could not be"
                    + " dead-lettered with its reason (" + unreachable.getMessage() + "), so it goes to " + river
                    + "-dlq on its next receive without it");
        }
    }

    /** What a handling published goes on the rapids with its mark, then its afterwards run. */
    void publishTogether(Dispatcher.Handled work, Runnable recorded) {
        backend.together(() -> {
            if (!work.events().isEmpty()) {
                backend.rapids().publishAll(work.events());
            }
            recorded.run();
            return null;
        });
        if (!work.events().isEmpty()) {
            outage.over();
        }
        work.published();
    }

    /** Waits a second and keeps what is held hidden meanwhile; false when interrupted. */
    private boolean pause(List<Delivery> held) {
        try {
            Thread.sleep(Outage.AGAIN_AFTER.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            backend.rivers().changeVisibility(river, held, settings.visibility());
        } catch (RuntimeException stillUnreachable) {
            // they may come back to another reader meanwhile: handled again there, under the same ids
        }
        return true;
    }
}
