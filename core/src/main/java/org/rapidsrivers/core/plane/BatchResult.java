package org.rapidsrivers.core.plane;

import java.util.List;

/**
 * Understands what a plane reports about a batch, the way a Lambda reports batch item failures:
 * the sequence numbers it did not process, so the caller retries from the lowest of them.
 */
public record BatchResult(List<String> failedSequenceNumbers, String reason) {
    public BatchResult {
        failedSequenceNumbers = List.copyOf(failedSequenceNumbers);
    }

    public static BatchResult success() {
        return new BatchResult(List.of(), "");
    }

    /** Reports the record at {@code index} and every record after it, which were not processed. */
    public static BatchResult failedFrom(List<StreamRecord> batch, int index, String reason) {
        return new BatchResult(batch.subList(index, batch.size()).stream().map(StreamRecord::sequenceNumber).toList(), reason);
    }

    public boolean succeeded() {
        return failedSequenceNumbers.isEmpty();
    }
}
