package org.rapidsrivers.service;

/** Understands what a service does with the events its river lets through. */
@FunctionalInterface
public interface PacketListener {
    /** A valid event: everything the rules declared may be read. Throwing leaves it for redelivery. */
    void onPacket(Packet packet, MessageContext context);

    /** An event that met the preconditions but failed validation, with every problem found. */
    default void onError(Packet packet, Problems problems, MessageContext context) {
        System.err.println("warning: event " + packet.id() + " (" + packet.type() + ") failed validation: " + problems);
    }

    /** An event that did not meet the preconditions: off by default, for debugging a river's rules. */
    default void onPreconditionFailed(Packet packet, Problems problems) {
        // most events on a river concern some other listener of the service
    }
}
