package org.rapidsrivers.core.plane;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Understands what a plane reports about a batch, the way a Lambda reports batch item failures:
 * the sequence numbers it did not process, so the caller retries from the lowest of them; whether it
 * stopped because the stage itself could not be reached (a full disk, a locked database), which is no
 * fault of the record and counts no attempt against it where the caller can tell (a Lambda cannot);
 * and what it counted on the way (routed, dead-lettered, applied...), which the handlers turn into metrics.
 */
public record BatchResult(List<String> failedSequenceNumbers, String reason, Map<String, Long> counts,
                          boolean stageUnreachable) {
    public BatchResult {
        failedSequenceNumbers = List.copyOf(failedSequenceNumbers);
        counts = Map.copyOf(counts);
    }

    public BatchResult(List<String> failedSequenceNumbers, String reason, Map<String, Long> counts) {
        this(failedSequenceNumbers, reason, counts, false);
    }

    public BatchResult(List<String> failedSequenceNumbers, String reason) {
        this(failedSequenceNumbers, reason, Map.of(), false);
    }

    public static BatchResult success() {
        return new BatchResult(List.of(), "");
    }

    /** Reports the record at {@code index} and every record after it, which were not processed. */
    public static BatchResult failedFrom(List<StreamRecord> batch, int index, String reason) {
        return new BatchResult(batch.subList(index, batch.size()).stream().map(StreamRecord::sequenceNumber).toList(), reason);
    }

    /** Stopped at {@code index} because the stage could not be reached: the record is not at fault. */
    public static BatchResult unreachableFrom(List<StreamRecord> batch, int index, String reason) {
        return new BatchResult(batch.subList(index, batch.size()).stream().map(StreamRecord::sequenceNumber).toList(),
                reason, Map.of(), true);
    }

    /** The same result with these counts added. */
    public BatchResult counting(Map<String, Long> more) {
        Map<String, Long> all = new LinkedHashMap<>(counts);
        more.forEach((name, n) -> all.merge(name, n, Long::sum));
        return new BatchResult(failedSequenceNumbers, reason, all, stageUnreachable);
    }

    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    public boolean succeeded() {
        return failedSequenceNumbers.isEmpty();
    }
}
