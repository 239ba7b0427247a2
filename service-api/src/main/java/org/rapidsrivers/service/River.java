package org.rapidsrivers.service;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.rapidsrivers.core.filter.ContentFilter;

/**
 * Understands one stream of interest of a service: the preconditions an event must meet to concern
 * it at all (its type above all), the validation an event that concerns it must pass, and the
 * listener that handles it. {@code River.on(rapids).precondition(r -> r.requireType("ViewPage"))
 * .validate(r -> r.requireKey("user")).register(listener)}.
 */
public final class River {
    private final RapidsConnection rapids;
    private final Rules preconditions = new Rules();
    private final Rules validations = new Rules();
    private PacketListener listener;

    private River(RapidsConnection rapids) {
        this.rapids = rapids;
    }

    public static River on(RapidsConnection rapids) {
        return new River(rapids);
    }

    public River precondition(Consumer<Rules> rules) {
        rules.accept(preconditions);
        return this;
    }

    public River validate(Consumer<Rules> rules) {
        rules.accept(validations);
        return this;
    }

    /** Starts listening; a river must require at least one event type, which is what the service subscribes to. */
    public River register(PacketListener packetListener) {
        if (preconditions.types().isEmpty()) {
            throw new IllegalStateException("a river must require at least one event type in its preconditions"
                    + " (precondition(r -> r.requireType(\"ViewPage\"))): it is what the service's river subscribes to");
        }
        this.listener = packetListener;
        rapids.register(this);
        return this;
    }

    /** What of its types' events this river's preconditions let a filter drop ({@link Rules#filter}). */
    ContentFilter filter() {
        return preconditions.filter();
    }

    /** The event types this river needs. */
    public Set<String> types() {
        return Set.copyOf(preconditions.types());
    }

    /**
     * Hands the event to the listener as the rules say: nothing when it does not concern this river
     * (the precondition hook sees it, for debugging), the problems when it fails validation, the
     * packet when it passes. What the listener throws is thrown on, so the message is not deleted.
     */
    void handle(Packet packet, MessageContext context) {
        Problems problems = new Problems();
        preconditions.check(packet, problems);
        if (problems.any()) {
            listener.onPreconditionFailed(packet.declaring(Set.of()), problems);
            return;
        }
        validations.check(packet, problems);
        Set<String> declared = new LinkedHashSet<>(preconditions.declared());
        declared.addAll(validations.declared());
        if (problems.any()) {
            listener.onError(packet.declaring(Set.of()), problems, context);
            return;
        }
        listener.onPacket(packet.declaring(declared), context);
    }
}
