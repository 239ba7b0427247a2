package org.rapidsrivers.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.core.ports.Visibility;

/**
 * Understands the knobs of a running service, and the settings it reads by name (its own knobs): the clock,
 * the hop limit, how long a handled eventId is remembered, how long start-up waits for the control plane, how
 * long a message in hand stays hidden, where its lines go, and how often it says it is alive. Made by
 * {@link #builder()}; {@link #defaults()} is what a service's main runs with.
 */
public record ServiceSettings(Clock clock, int maxHops, Duration deduplicationWindow, Duration startTimeout,
                              Duration visibility, Consumer<String> log, Map<String, String> values, Duration heartbeat) {
    /** How often a running service says it is alive, by default: silence for three of these reads as stuck. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(30);

    public ServiceSettings {
        values = Map.copyOf(values);
        if (heartbeat.isNegative() || (!heartbeat.isZero() && heartbeat.compareTo(Duration.ofSeconds(1)) < 0)) {
            throw new InvalidInput("a heartbeat must be 1s or more, or 0 for none; got " + heartbeat.toMillis() + " ms");
        }
    }

    public static ServiceSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** These settings to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.clock = clock;
        builder.maxHops = maxHops;
        builder.deduplicationWindow = deduplicationWindow;
        builder.startTimeout = startTimeout;
        builder.visibility = visibility;
        builder.log = log;
        builder.values = values;
        builder.heartbeat = heartbeat;
        return builder;
    }

    /** Understands settings made one knob at a time, each named; the rest as {@link #defaults()} has them. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int maxHops = MessageContext.DEFAULT_MAX_HOPS;
        private Duration deduplicationWindow = Deduplication.DEFAULT_WINDOW;
        private Duration startTimeout = Duration.ofSeconds(30);
        private Duration visibility = Visibility.SERVICE;
        private Consumer<String> log = System.err::println;
        private Map<String, String> values = Map.of();
        private Duration heartbeat = HEARTBEAT;

        private Builder() {
        }

        public Builder clock(Clock given) {
            this.clock = given;
            return this;
        }

        public Builder maxHops(int hops) {
            this.maxHops = hops;
            return this;
        }

        /** Where the service's lines go (standard error by default; a function's JSON log). */
        public Builder log(Consumer<String> lines) {
            this.log = lines;
            return this;
        }

        /** How long a message in hand stays hidden from other readers: a failed one comes back after it. */
        public Builder visibility(Duration hidden) {
            this.visibility = hidden;
            return this;
        }

        /** The service's own settings by name ({@link RapidsConnection#setting}), before the environment's. */
        public Builder values(Map<String, String> given) {
            this.values = given;
            return this;
        }

        /** How often a running service says it is alive (ServiceAlive on the rapids); zero for never. */
        public Builder heartbeat(Duration every) {
            this.heartbeat = every;
            return this;
        }

        public ServiceSettings build() {
            return new ServiceSettings(clock, maxHops, deduplicationWindow, startTimeout, visibility, log, values, heartbeat);
        }
    }
}
