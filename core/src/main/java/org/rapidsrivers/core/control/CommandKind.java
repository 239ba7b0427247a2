package org.rapidsrivers.core.control;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Understands the commands the control plane knows and what each one needs. */
public enum CommandKind {
    SUBSCRIBE(true, true),
    UNSUBSCRIBE(true, true),
    ADVERTISE(false, true),
    /** Removes a river the control plane made: its subscription, its queue and its dead-letter queue. */
    DELETE(true, false);

    private final boolean needsRiver;
    private final boolean needsTopic;

    CommandKind(boolean needsRiver, boolean needsTopic) {
        this.needsRiver = needsRiver;
        this.needsTopic = needsTopic;
    }

    public boolean needsRiver() {
        return needsRiver;
    }

    public boolean needsTopic() {
        return needsTopic;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CommandKind> fromWire(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName().equals(name)).findFirst();
    }

    public static String allowed() {
        return "subscribe, unsubscribe, advertise, delete";
    }
}
