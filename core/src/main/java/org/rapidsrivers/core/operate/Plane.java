package org.rapidsrivers.core.operate;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.rapidsrivers.core.InvalidInput;

/** Understands which plane an operator means: the fan-out (data plane, over the rapids) or the control plane. */
public enum Plane {
    FANOUT("fanout"), CONTROL("control");

    private final String word;

    Plane(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static Plane of(String word) {
        return Arrays.stream(values()).filter(p -> p.word.equals(word)).findFirst().orElseThrow(() -> new InvalidInput(
                "unknown plane '" + word + "': use " + Arrays.stream(values()).map(Plane::word).collect(Collectors.joining(" or "))));
    }

    @Override
    public String toString() {
        return word;
    }
}
