package org.rapidsrivers.embedded;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.rapidsrivers.core.archive.Archive;
import org.rapidsrivers.core.names.RiverName;
import org.rapidsrivers.core.names.Stage;
import org.rapidsrivers.core.operate.LedgerOutcomes;
import org.rapidsrivers.core.operate.Operations;
import org.rapidsrivers.core.operate.Plane;
import org.rapidsrivers.core.plane.DeadLetters;
import org.rapidsrivers.core.plane.Router;
import org.rapidsrivers.core.plane.TrafficRecorder;
import org.rapidsrivers.core.ports.Catalog;
import org.rapidsrivers.core.ports.ControlStream;
import org.rapidsrivers.core.ports.OutcomeLedger;
import org.rapidsrivers.core.ports.Outcomes;
import org.rapidsrivers.core.ports.Pond;
import org.rapidsrivers.core.ports.Rapids;
import org.rapidsrivers.core.ports.Rivers;
import org.rapidsrivers.core.ports.Subscriptions;
import org.rapidsrivers.core.stage.Backend;
import org.rapidsrivers.core.stage.StageOptions;

/**
 * Understands a whole rapids-and-rivers stage kept in one SQLite file under a data directory, so it
 * runs with no AWS account and survives restarts, and two processes on the same directory see one
 * system. The planes run inside whichever process hosts them (the hosts module) and holds each
 * stream's lease.
 */
public final class EmbeddedBackend implements Backend {

    private final Stage stage;
    private final String rapidsStream;
    private final String controlStreamName;
    private final Clock clock;
    private final Database db;
    private final Doorbell doorbell;
    private final EmbeddedLog log;
    private final EmbeddedRapids rapids;
    private final EmbeddedControlStream controlStream;
    private final EmbeddedRivers rivers;
    private final EmbeddedSubscriptions subscriptions;
    private final EmbeddedCatalog catalog;
    private final Outcomes outcomes;
    private final EmbeddedLedger ledger;
    private final EmbeddedRouter router;
    private final EmbeddedDeadLetters fanOutDeadLetters;
    private final EmbeddedDeadLetters controlDeadLetters;
    private final EmbeddedTraffic traffic;
    private final EmbeddedOperations operations;
    private final EmbeddedStreams streams;
    private final EmbeddedArchive archive;
    private final Path dataDir;

    private EmbeddedBackend(Options options, Database db) {
        this.stage = options.stage();
        this.dataDir = options.dataDir();
        this.rapidsStream = options.rapidsStream();
        this.controlStreamName = options.controlStream();
        this.clock = options.clock();
        this.db = db;
        this.doorbell = new Doorbell(db::dataVersion);
        this.log = new EmbeddedLog(db, clock, doorbell);
        this.rapids = new EmbeddedRapids(log, rapidsStream);
        this.controlStream = new EmbeddedControlStream(log, controlStreamName);
        ThisProcess me = new ThisProcess(db, clock);
        this.rivers = new EmbeddedRivers(db, clock, doorbell, me);
        this.subscriptions = new EmbeddedSubscriptions(db);
        this.catalog = new EmbeddedCatalog(db, clock);
        this.router = new EmbeddedRouter(db, clock, doorbell, me);
        this.fanOutDeadLetters = new EmbeddedDeadLetters(db, clock, stage.fanOutDeadLetterQueue());
        this.controlDeadLetters = new EmbeddedDeadLetters(db, clock, stage.controlDeadLetterQueue());
        this.traffic = new EmbeddedTraffic(db);
        this.operations = new EmbeddedOperations(db, clock, stage, rivers, log, traffic, doorbell, new EnumMap<>(Map.of(
                Plane.FANOUT, new EmbeddedOperations.Stream(rapidsStream, Plane.FANOUT.consumer(), Plane.FANOUT.deadLetterQueue(stage)),
                Plane.CONTROL, new EmbeddedOperations.Stream(controlStreamName, Plane.CONTROL.consumer(),
                        Plane.CONTROL.deadLetterQueue(stage)))));
        this.archive = new EmbeddedArchive(db, clock, doorbell, me, rapidsStream);
        this.streams = new EmbeddedStreams(db, log, doorbell, rapidsStream, archive::retention);
        this.ledger = new EmbeddedLedger(db);
        // the control plane runs in some process of the stage and answers within milliseconds
        this.outcomes = new LedgerOutcomes(ledger, Duration.ofMillis(5),
                Duration.ofMillis(100));
    }

    /** One write transaction: the work's appends, pond writes and river changes commit together or not at all. */
    @Override
    public <T> T together(Supplier<T> work) {
        return db.write(work::get);
    }

    /** The bells of this stage in this process (for tests). */
    Doorbell doorbell() {
        return doorbell;
    }

    public static EmbeddedBackend open(Path dataDir, Stage stage) {
        return open(Options.of(dataDir, stage));
    }

    public static EmbeddedBackend open(Options options) {
        Database db = Database.open(options.dataDir(), options.stage().value() + ".db", options.busyTimeout(),
                options.toDrain());
        return new EmbeddedBackend(options, db);
    }

    @Override
    public String kind() {
        return StageOptions.EMBEDDED;
    }

    @Override
    public Stage stage() {
        return stage;
    }

    @Override
    public Rapids rapids() {
        return rapids;
    }

    @Override
    public ControlStream controlStream() {
        return controlStream;
    }

    @Override
    public Rivers rivers() {
        return rivers;
    }

    @Override
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    @Override
    public Catalog catalog() {
        return catalog;
    }

    @Override
    public Outcomes outcomes() {
        return outcomes;
    }

    @Override
    public OutcomeLedger ledger() {
        return ledger;
    }

    @Override
    public Operations operations() {
        return operations;
    }

    /** Where the fan-out notes what it routed. */
    public TrafficRecorder traffic() {
        return traffic;
    }

    /**
     * The service's pond, in this stage's database; the first time, what an earlier rr kept in
     * {@code <data-dir>/ponds/<service>.db} moves into it.
     */
    @Override
    public Pond pond(String service) {
        EmbeddedPond pond = new EmbeddedPond(db, clock, service);
        LegacyPondFile.importInto(pond, dataDir, service);
        return pond;
    }

    /** Every event that reached this stage's rapids, kept: its records, read by index. */
    public Archive archive() {
        return archive;
    }

    /** What a host needs to run a plane over this stage's streams (the hosts module uses nothing else). */
    public EmbeddedStreams streams() {
        return streams;
    }

    /** The routing table as the fan-out sees it. */
    public Router router() {
        return router;
    }

    public EmbeddedDeadLetters fanOutDeadLetters() {
        return fanOutDeadLetters;
    }

    public EmbeddedDeadLetters controlDeadLetters() {
        return controlDeadLetters;
    }

    public String rapidsStream() {
        return rapidsStream;
    }

    public String controlStreamName() {
        return controlStreamName;
    }

    public Clock clock() {
        return clock;
    }

    /** Puts bytes on a stream as they are, bypassing the envelope checks: what a careless client could do (tests). */
    public void appendRaw(String stream, String partitionKey, byte[] data) {
        log.append(stream, List.of(EmbeddedLog.Entry.read(partitionKey, data)));
    }

    /** How many messages a river holds, visible or in flight. */
    public int messagesHeld(RiverName river) {
        return rivers.depth(river, false);
    }

    /** The sequence number of the newest record of a stream (0 when it has none). */
    public long latestSequence(String stream) {
        return log.latest(stream);
    }

    /** How many messages a river's dead-letter queue holds. */
    public int deadLetterDepth(RiverName river) {
        return rivers.depth(river, true);
    }

    EmbeddedLog log() {
        return log;
    }

    EmbeddedRivers embeddedRivers() {
        return rivers;
    }

    public Path databaseFile() {
        return db.file();
    }

    @Override
    public synchronized void close() {
        doorbell.close();
        db.close();
    }

    /** Understands how an embedded backend is opened. */
    public record Options(Path dataDir, Stage stage, String rapidsStream, String controlStream, Clock clock,
                          Duration busyTimeout, boolean toDrain) {
        public static Options of(Path dataDir, Stage stage) {
            return new Options(dataDir, stage, stage.rapidsStream(), stage.controlStream(), Clock.systemUTC(),
                    Duration.ofSeconds(5), false);
        }

        /** Opened to drain rivers: on a full disk this opening may use the space kept in reserve. */
        public Options toDrain(boolean drain) {
            return new Options(dataDir, stage, rapidsStream, controlStream, clock, busyTimeout, drain);
        }

        public Options withStreams(String rapids, String control) {
            return new Options(dataDir, stage, rapids, control, clock, busyTimeout, toDrain);
        }

        public Options withClock(Clock newClock) {
            return new Options(dataDir, stage, rapidsStream, controlStream, newClock, busyTimeout, toDrain);
        }

        public Options withBusyTimeout(Duration timeout) {
            return new Options(dataDir, stage, rapidsStream, controlStream, clock, timeout, toDrain);
        }
    }
}
