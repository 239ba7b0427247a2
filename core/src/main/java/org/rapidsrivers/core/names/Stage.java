package org.rapidsrivers.core.names;

import java.util.regex.Pattern;
import org.rapidsrivers.core.InvalidInput;

/**
 * Understands a deployment stage and the names of the resources that belong to it.
 * Stages have no hyphen, so the names of two stages can never collide.
 */
public record Stage(String value) {
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9]{1,16}");
    public static final Stage DEFAULT = new Stage("dev");

    public Stage {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new InvalidInput("invalid stage '" + value + "': use 1-16 lower-case letters or digits");
        }
    }

    public static Stage of(String value) {
        return new Stage(value);
    }

    public String rapidsStream() {
        return "Rapids-" + value;
    }

    public String controlStream() {
        return "Control-" + value;
    }

    public String rapidsTopic() {
        return "Rapids-" + value;
    }

    public String catalogTable() {
        return "Topics-" + value;
    }

    /** Services' ponds: one item per service and key. */
    public String pondTable() {
        return "Ponds-" + value;
    }

    /** Checkpoints and leases of the local host that runs the planes over Kinesis when no Lambda does. */
    public String hostTable() {
        return "Leases-" + value;
    }

    public String keyAlias() {
        return "alias/rr-" + value;
    }

    public String riverQueue(RiverName river) {
        return "rr-" + value + "-" + river.value();
    }

    public String riverDeadLetterQueue(RiverName river) {
        return riverQueue(river) + "-dlq";
    }

    public String controlDeadLetterQueue() {
        return "rrsys-" + value + "-control-dlq";
    }

    public String fanOutDeadLetterQueue() {
        return "rrsys-" + value + "-fanout-dlq";
    }

    @Override
    public String toString() {
        return value;
    }
}
