package org.rapidsrivers.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.rapidsrivers.core.plane.BatchResult;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.StreamProcessor;
import org.rapidsrivers.core.plane.StreamRecord;

/**
 * Understands how to run a plane over an embedded stream the way a Lambda event source mapping
 * runs it over Kinesis: batches per shard in order, a checkpoint after each success, a retry from
 * the first failed record, a smaller batch after an error (bisecting down to the failing record),
 * and, after the last attempt, that record to the on-failure destination so the shard moves on.
 * Only the holder of the stream's lease processes it; a batch and its checkpoint commit together.
 */
public final class EmbeddedStreamHost implements AutoCloseable {
    private final Database db;
    private final EmbeddedLog log;
    private final Clock clock;
    private final Doorbell doorbell;
    private final String stream;
    private final String consumer;
    private final StreamProcessor processor;
    private final DeadLetters onFailure;
    private final HostSettings settings;
    private final Lease lease;
    private final ShardRetries[] shards = new ShardRetries[EmbeddedLog.SHARDS];
    private final Complaints complaints;
    private volatile boolean running;
    private Thread thread;
    private long nextTrimMs;

    EmbeddedStreamHost(Database db, EmbeddedLog log, Clock clock, Doorbell doorbell, String stream, String consumer,
                       StreamProcessor processor, DeadLetters onFailure, HostSettings settings, String holder) {
        this.db = db;
        this.log = log;
        this.clock = clock;
        this.doorbell = doorbell;
        this.stream = stream;
        this.consumer = consumer;
        this.processor = processor;
        this.onFailure = onFailure;
        this.settings = settings;
        this.lease = new Lease(db, clock, "host:" + stream, holder, settings.leaseTtl());
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new ShardRetries(settings.batchSize());
        }
        this.complaints = new Complaints(consumer + " on " + stream, clock);
    }

    public void start() {
        running = true;
        thread = new Thread(this::run, "rr-host-" + stream);
        thread.setDaemon(true);
        thread.start();
    }

    /** One pass over every shard; true if any record was processed. */
    public boolean pollOnce() {
        if (!lease.holdOrTake()) {
            return false;
        }
        trimNowAndThen();
        boolean worked = false;
        for (int shard = 0; shard < shards.length; shard++) {
            ShardRetries state = shards[shard];
            if (!state.due(clock.millis())) {
                continue;
            }
            long checkpoint = log.checkpoint(stream, consumer, shard);
            if (log.hasRecordsAfter(stream, shard, checkpoint)) {
                worked |= processShard(shard, state);
            }
        }
        return worked;
    }

    private boolean processShard(int shard, ShardRetries state) {
        Attempt attempt;
        try {
            attempt = db.write(() -> {
                if (!lease.stillHeld()) {
                    return Attempt.NOTHING;
                }
                long checkpoint = log.checkpoint(stream, consumer, shard);
                List<StreamRecord> batch = log.read(stream, shard, checkpoint, state.batchLimit());
                if (batch.isEmpty()) {
                    return Attempt.NOTHING;
                }
                BatchResult result = processor.process(batch);
                if (result.succeeded()) {
                    log.checkpoint(stream, consumer, shard, seq(batch.get(batch.size() - 1)));
                    return Attempt.DONE;
                }
                long firstFailed = result.failedSequenceNumbers().stream().mapToLong(Long::parseLong).min().orElseThrow();
                long before = batch.stream().mapToLong(EmbeddedStreamHost::seq).filter(s -> s < firstFailed)
                        .max().orElse(checkpoint);
                log.checkpoint(stream, consumer, shard, before);
                return Attempt.failed(firstFailed, result.reason(), before > checkpoint);
            });
        } catch (RuntimeException error) {
            attempt = Attempt.failed(-1, error.getClass().getSimpleName() + ": " + error.getMessage(), false);
        }
        if (attempt.failed()) {
            handleFailure(shard, state, attempt);
            return attempt.progressed();
        }
        if (attempt == Attempt.DONE) {
            state.succeeded();
            return true;
        }
        return false;
    }

    private void handleFailure(int shard, ShardRetries state, Attempt attempt) {
        if (attempt.failedSeq() < 0 && state.bisect()) {
            state.retryLater(clock.millis(), settings.retryBackoff());
            complaints.say(attempt.reason() + " (bisecting: next batch of " + state.batchLimit() + ")");
            return;
        }
        long failedSeq = attempt.failedSeq() > 0 ? attempt.failedSeq() : firstUnprocessed(shard);
        int attempts = state.failed(Long.toString(failedSeq));
        if (attempts < settings.maxAttempts()) {
            state.retryLater(clock.millis(), settings.retryBackoff());
            complaints.say(attempt.reason() + " (attempt " + attempts + " of " + settings.maxAttempts() + ")");
            return;
        }
        giveUpOn(shard, failedSeq, attempt.reason());
        state.succeeded();
    }

    /** Sends the record to the on-failure destination and moves the shard past it, in one transaction. */
    private void giveUpOn(int shard, long failedSeq, String reason) {
        db.write(() -> {
            long checkpoint = log.checkpoint(stream, consumer, shard);
            log.read(stream, shard, checkpoint, settings.batchSize()).stream()
                    .filter(r -> seq(r) == failedSeq).findFirst()
                    .ifPresent(record -> onFailure.bury(record, "gave up after " + settings.maxAttempts()
                            + " attempts: " + reason));
            log.checkpoint(stream, consumer, shard, failedSeq);
            return null;
        });
    }

    private long firstUnprocessed(int shard) {
        long checkpoint = log.checkpoint(stream, consumer, shard);
        return log.read(stream, shard, checkpoint, 1).stream().map(EmbeddedStreamHost::seq).findFirst().orElse(-1L);
    }

    private void run() {
        Duration idle = settings.minIdlePoll();
        while (running) {
            long seen = doorbell.rings();
            boolean worked;
            try {
                worked = pollOnce();
            } catch (RuntimeException error) {
                complaints.say(error.getMessage());
                worked = false;
            }
            if (worked) {
                idle = settings.minIdlePoll();
                continue;
            }
            try {
                doorbell.awaitAfter(seen, idle);
            } catch (InterruptedException e) {
                return;
            }
            idle = idle.multipliedBy(2).compareTo(settings.maxIdlePoll()) > 0 ? settings.maxIdlePoll() : idle.multipliedBy(2);
        }
    }

    private void trimNowAndThen() {
        long now = clock.millis();
        if (now >= nextTrimMs) {
            nextTrimMs = now + Duration.ofMinutes(10).toMillis();
            log.trimOlderThan(stream, Instant.ofEpochMilli(now).minus(settings.retention()));
        }
    }

    /** Stops the host; if it holds the lease it finishes what is waiting first, then lets the lease go. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            for (int pass = 0; pass < 100 && pollOnce(); pass++) {
                // drain what is waiting, so a one-shot command leaves nothing half-done
            }
            lease.release();
        } catch (RuntimeException closing) {
            complaints.say("while stopping: " + closing.getMessage());
        }
    }

    private static long seq(StreamRecord record) {
        return Long.parseLong(record.sequenceNumber());
    }

    /** Understands what came of one attempt at a batch. */
    private record Attempt(boolean failed, long failedSeq, String reason, boolean progressed) {
        static final Attempt DONE = new Attempt(false, 0, "", true);
        static final Attempt NOTHING = new Attempt(false, 0, "", false);

        static Attempt failed(long seq, String reason, boolean progressed) {
            return new Attempt(true, seq, reason, progressed);
        }
    }
}
