package org.rapidsrivers.core.plane;

import java.util.OptionalInt;

/** Understands how far a routing attempt got: all the way, or up to the first event it could not deliver, and why. */
public record RouteResult(OptionalInt firstFailure, String reason) {
    public static RouteResult delivered() {
        return new RouteResult(OptionalInt.empty(), "");
    }

    public static RouteResult failedAt(int index, String reason) {
        return new RouteResult(OptionalInt.of(index), reason);
    }

    public boolean allDelivered() {
        return firstFailure.isEmpty();
    }
}
