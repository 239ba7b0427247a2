package org.rapidsrivers.core.operate;

import java.util.OptionalLong;

/**
 * Understands how far one consumer of a stream (a plane) is behind on one shard: the records it has
 * not processed yet and how long the oldest of them has waited (empty where the backend cannot tell).
 */
public record ConsumerLag(String stream, String consumer, String shard, OptionalLong recordsBehind,
                          OptionalLong millisBehind) {
}
