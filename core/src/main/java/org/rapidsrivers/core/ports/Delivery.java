package org.rapidsrivers.core.ports;

/** Understands one message received from a river: its body and the receipt needed to delete it. */
public record Delivery(String receipt, String body, int receiveCount) {
}
