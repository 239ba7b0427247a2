package org.rapidsrivers.hosts;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.rapidsrivers.core.plane.LeaseTable;
import org.rapidsrivers.core.plane.PlaneLog;

/**
 * Understands how to run a function over a stream the way a Lambda event source mapping does, once for
 * every source (the embedded log, Kinesis): batches per shard in order, the checkpoint moved after
 * each success, a retry from the first failed record with backoff, a halved batch after the function
 * threw (bisecting down to the failing record), and after the last attempt that record to the
 * on-failure destination so the shard moves on. Only the holder of the stream's lease processes it;
 * an idle host waits for the source's signal or polls, more slowly the longer it is idle; closing
 * drains what is waiting and lets the lease go, so the next process takes over at once.
 */
public final class StreamHost implements AutoCloseable {
    private static final Duration UPKEEP_EVERY = Duration.ofMinutes(10);

    private final HostedStream source;
    private final HostSettings settings;
    private final Lease lease;
    private final PlaneLog log;
    private final LongSupplier nanos;
    private final Complaints complaints;
    private final Map<String, ShardRetries> shards = new LinkedHashMap<>();
    private volatile boolean running;
    private Thread thread;
    private boolean leaseLost = true;
    private long upkeepAtNanos;
    private boolean upkept;

    StreamHost(HostedStream source, HostSettings settings, String holder, PlaneLog log, LongSupplier nanos, Clock wall) {
        this.source = source;
        this.settings = settings;
        this.log = log;
        this.nanos = nanos;
        this.lease = new Lease(source.leases(), source.leaseName(), holder, settings.leaseTtl(), nanos, wall);
        this.complaints = new Complaints(source.describe());
    }

    public StreamHost(HostedStream source, HostSettings settings, String holder, PlaneLog log) {
        this(source, settings, holder, log, System::nanoTime, Clock.systemUTC());
    }

    public void start() {
        running = true;
        thread = new Thread(this::run, "rr-host-" + source.describe());
        thread.setDaemon(true);
        thread.start();
    }

    /** One pass over every shard; true if any record was handed to the function. */
    public synchronized boolean pollOnce() {
        Optional<LeaseTable.Fence> fence = lease.hold();
        if (fence.isEmpty()) {
            if (!leaseLost) {
                leaseLost = true;
                source.lostLease();
            }
            return false;
        }
        leaseLost = false;
        upkeepNowAndThen();
        boolean worked = false;
        for (String shard : source.shards()) {
            ShardRetries retries = shards.computeIfAbsent(shard, id -> new ShardRetries(settings.pageSize()));
            if (retries.due(nanos.getAsLong()) && source.mayHaveWork(shard)) {
                worked |= process(shard, retries, fence.get());
            }
        }
        return worked;
    }

    private boolean process(String shard, ShardRetries retries, LeaseTable.Fence fence) {
        HostedStream.BatchOutcome outcome;
        try {
            outcome = source.runBatch(shard, retries.batchLimit(), fence);
        } catch (RuntimeException error) {
            // the source itself failed (the stage out of reach): nothing of the batch counted
            complaints.say(describe(error) + "; trying again");
            retries.retryLater(nanos.getAsLong(), settings.retryBackoff());
            source.lostLease();
            return false;
        }
        switch (outcome.kind()) {
            case NOTHING:
                return false;
            case DONE:
                retries.succeeded();
                return true;
            case FENCED:
                leaseLost = true;
                source.lostLease();
                return false;
            case UNREACHABLE:
                // no attempt counted against the record: it is tried again until the stage is back
                complaints.say("the stage cannot be reached (" + outcome.reason() + "); trying again");
                retries.retryLater(nanos.getAsLong(), settings.retryBackoff());
                return outcome.progressed();
            default:
                return handleFailure(shard, retries, outcome, fence);
        }
    }

    private boolean handleFailure(String shard, ShardRetries retries, HostedStream.BatchOutcome outcome,
                                  LeaseTable.Fence fence) {
        if (outcome.kind() == HostedStream.BatchOutcome.Kind.THREW && retries.bisect()) {
            retries.retryLater(nanos.getAsLong(), settings.retryBackoff());
            complaints.say(outcome.reason() + " (bisecting: next batch of " + retries.batchLimit() + ")");
            return outcome.progressed();
        }
        String stuckOn = outcome.failedFrom() == null ? "first after the checkpoint" : outcome.failedFrom();
        int attempts = retries.failed(stuckOn);
        if (attempts < settings.maxAttempts()) {
            retries.retryLater(nanos.getAsLong(), settings.retryBackoff());
            complaints.say(outcome.reason() + " (attempt " + attempts + " of " + settings.maxAttempts() + ")");
            return outcome.progressed();
        }
        String reason = "gave up after " + settings.maxAttempts() + " attempts: " + outcome.reason();
        source.giveUp(shard, Optional.ofNullable(outcome.failedFrom()), reason, fence)
                .ifPresent(record -> log.deadLettered(record, reason));
        retries.succeeded();
        return true;
    }

    private void upkeepNowAndThen() {
        long now = nanos.getAsLong();
        if (!upkept || now - upkeepAtNanos >= UPKEEP_EVERY.toNanos()) {
            upkept = true;
            upkeepAtNanos = now;
            try {
                source.upkeep(settings);
            } catch (RuntimeException error) {
                complaints.say("housekeeping failed: " + describe(error));
            }
        }
    }

    private void run() {
        Duration idle = settings.minIdlePoll();
        while (running) {
            long ticket = source.ticket();
            boolean worked;
            try {
                worked = pollOnce();
            } catch (RuntimeException error) {
                complaints.say(describe(error));
                source.lostLease();
                worked = false;
            }
            if (worked) {
                idle = settings.minIdlePoll();
                continue;
            }
            try {
                source.awaitWork(ticket, idle);
            } catch (InterruptedException e) {
                return;
            }
            idle = idle.multipliedBy(2).compareTo(settings.maxIdlePoll()) > 0 ? settings.maxIdlePoll() : idle.multipliedBy(2);
        }
    }

    /**
     * Stops; when it holds the lease it first hands the function what is waiting (for at most the
     * drain time), then lets the lease go. The thread is not interrupted: that would abort a call half way.
     */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            source.wake();
            try {
                thread.join(settings.invocationTimeout().plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            long deadline = nanos.getAsLong() + settings.drainOnClose().toNanos();
            while (nanos.getAsLong() - deadline < 0 && pollOnce()) {
                // drain, so a one-shot command leaves nothing half-done
            }
        } catch (RuntimeException closing) {
            complaints.say("while stopping: " + describe(closing));
        }
        try {
            lease.release();
        } catch (RuntimeException releasing) {
            complaints.say("could not let the lease go (the next process waits one time-to-live): " + describe(releasing));
        }
    }

    private static String describe(RuntimeException error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
