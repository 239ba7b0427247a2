package org.rapidsrivers.core.operate;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.control.CommandOutcome;

/**
 * Understands the two planes of a stage and every name that follows from one: the word an operator
 * types (fanout, control), the name it consumes its stream under and logs as (data-plane,
 * control-plane: checkpoints, leases, log lines, jar keys), its stream and its dead-letter queue.
 */
public enum Plane {
    FANOUT("fanout", "data-plane"), CONTROL("control", CommandOutcome.DOMAIN);

    private final String word;
    private final String consumer;

    Plane(String word, String consumer) {
        this.word = word;
        this.consumer = consumer;
    }

    public String word() {
        return word;
    }

    /** The name the plane reads its stream under and logs as: data-plane, control-plane. */
    public String consumer() {
        return consumer;
    }

    /** The stream it reads: the rapids for the fan-out, the control stream for the control plane. */
    public String stream(String rapidsStream, String controlStream) {
        return this == FANOUT ? rapidsStream : controlStream;
    }

    /** Where it puts what it gives up on. */
    public String deadLetterQueue(Stage stage) {
        return this == FANOUT ? stage.fanOutDeadLetterQueue() : stage.controlDeadLetterQueue();
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
