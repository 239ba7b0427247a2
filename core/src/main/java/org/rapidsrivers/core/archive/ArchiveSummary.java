package org.rapidsrivers.core.archive;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Understands what an archive holds: events, bytes, the oldest and newest arrival, and per type how
 * many (empty unless asked). {@code counted} says where the event counts come from when the archive
 * cannot count its lines cheaply (on AWS: what the fan-out routed).
 */
public record ArchiveSummary(long events, long bytes, Optional<Instant> oldest, Optional<Instant> newest,
                             SortedMap<String, Long> byType, Optional<String> retention, String where, String counted) {
}
