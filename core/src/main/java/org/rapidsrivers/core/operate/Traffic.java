package org.rapidsrivers.core.operate;

import java.time.Instant;
import java.util.Optional;
import org.rapidsrivers.core.names.Topic;

/**
 * Understands what the fan-out has seen published: for each publisher (the events' domain) and event
 * type, how many and when the last; for a {@code ServiceStarted} event also its payload, which says what
 * the service consumes and publishes.
 */
public record Traffic(String domain, Topic type, long count, Instant last, Optional<String> lastPayload) {
}
