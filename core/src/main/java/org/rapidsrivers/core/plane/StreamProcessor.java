package org.rapidsrivers.core.plane;

import java.util.List;

/** Understands how to process a batch of records from one shard, in order, the way a Lambda handler does. */
public interface StreamProcessor {
    BatchResult process(List<StreamRecord> batch);
}
