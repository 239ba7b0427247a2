package org.rapidsrivers.core.control;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Understands the commands the control plane knows and what each one needs. */
public enum CommandKind {
    SUBSCRIBE(true),
    UNSUBSCRIBE(true),
    ADVERTISE(false);

    private final boolean needsRiver;

    CommandKind(boolean needsRiver) {
        this.needsRiver = needsRiver;
    }

    public boolean needsRiver() {
        return needsRiver;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CommandKind> fromWire(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName().equals(name)).findFirst();
    }

    public static String allowed() {
        return "subscribe, unsubscribe, advertise";
    }
}
