package org.rapidsrivers.cli.deploy;

import org.rapidsrivers.core.InvalidInput;

/** Understands how many shards a user may give the rapids (rr deploy --shards, rr provision --shards): 1 to 64. */
final class StreamShards {
    static final int MOST = 64;

    private StreamShards() {
    }

    static int require(int shards) {
        if (shards < 1 || shards > MOST) {
            throw new InvalidInput("--shards must be between 1 and " + MOST);
        }
        return shards;
    }
}
