package org.rapidsrivers.core.operate;

import java.util.List;

/**
 * Understands following the rapids from the moment it was made, as one more reader that takes nothing
 * from anyone: each poll gives the records published since the last one (their text), oldest first per
 * shard. The live page shows them as they flow.
 */
public interface RapidsTail {
    List<String> poll();
}
