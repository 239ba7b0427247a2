package org.rapidsrivers.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.rapidsrivers.core.BackendUnavailable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Understands the one SQLite file that holds a stage of the embedded backend: one connection per
 * process, shared by its threads one at a time, with write transactions that take SQLite's write
 * lock up front so two processes on the same file never interleave half a change. A write that fails
 * on a full disk or an I/O error is rolled back and the connection made afresh (SQLite may or may not
 * have rolled the transaction back itself, and a statement that failed half way may keep a lock), so
 * the process works again, by itself, as soon as there is room: it says once that the disk is full and
 * once that it is writing again.
 */
final class Database implements AutoCloseable {

    static {
        SqliteNative.prepare();
    }

    /** Marks a SQLite file as rr's ("RRv1"), so a file of another program is never written into. */
    private static final int APPLICATION_ID = 0x52527631;

    private final Path file;
    private final Duration busyTimeout;
    private final DiskReserve reserve;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Queue<Waiting<?>> waitingWork = new ConcurrentLinkedQueue<>();
    private final DiskFullNotice diskFull;
    private final Checkpointer checkpointer;
    private final WalGuard wal;
    /** The line that refuses every write, for a stage read in a read-only directory; null for one that writes. */
    private final String readOnly;
    private Connection connection;
    private PreparedStatement begin;
    private PreparedStatement commit;
    private PreparedStatement rollback;
    private boolean closed;
    /** Closed for good: nothing opens the file again (a thread still at work after the close only fails). */
    private boolean shut;
    private int depth;
    private String walSeen = "";
    private long versionAskedAt;
    private long versionSeen;
    private static final Duration ASK_VERSION_AT_LEAST_EVERY = Duration.ofMillis(250);

    private Database(Path file, Duration busyTimeout, Connection connection, String readOnly) throws SQLException {
        this.file = file;
        this.readOnly = readOnly;
        this.busyTimeout = busyTimeout;
        this.reserve = new DiskReserve(reserveOf(file));
        this.diskFull = new DiskFullNotice(file);
        this.wal = new WalGuard(file);
        this.checkpointer = new Checkpointer(() -> connect(file, busyTimeout), Checkpointer.EVERY, wal);
        use(connection);
    }

    private void use(Connection fresh) throws SQLException {
        this.connection = fresh;
        wal.connected();
        this.begin = fresh.prepareStatement("BEGIN IMMEDIATE");
        this.commit = fresh.prepareStatement("COMMIT");
        this.rollback = fresh.prepareStatement("ROLLBACK");
    }

    /** Opens (creating if needed) the database of a stage under the data directory. */
    static Database open(Path dataDir, String fileName, Duration busyTimeout, boolean toDrain) {
        try {
            return open(dataDir, fileName, busyTimeout);
        } catch (DiskFull full) {
            // opening needs a little room (SQLite's shared-memory file): a reader that came to drain the
            // rivers gets the reserve, so a full disk can still be emptied
            if (!toDrain || !new DiskReserve(reserveOf(dataDir.resolve(fileName))).release()) {
                throw full;
            }
            return open(dataDir, fileName, busyTimeout);
        }
    }

    static Connection connect(Path file, Duration busyTimeout) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) busyTimeout.toMillis());
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setCacheSize(-65_536);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(256L << 20));
        // the log is copied into the file by the process's checkpointer, off the writers' path
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(Checkpointer.BACKSTOP_PAGES));
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /**
     * After a write failed on a full disk or an I/O error: whatever SQLite left (a transaction it did or
     * did not roll back, a statement stopped half way and holding a lock) goes with the connection, and
     * a fresh one is made, so neither this process nor any other stays locked out. Only with the lock held.
     */
    private void reopen() {
        if (shut) {
            return;
        }
        for (PreparedStatement statement : statements.values()) {
            closeQuietly(statement);
        }
        statements.clear();
        closeQuietly(begin);
        closeQuietly(commit);
        closeQuietly(rollback);
        closeQuietly(connection);
        try {
            use(reconnect());
            closed = false;
        } catch (SQLException e) {
            // the next call tries again and reports what is wrong then
            closed = true;
        }
    }

    /** A connection a failed reopening left closed is made again before anything else. */
    private void openIfClosed() {
        if (shut) {
            throw new IllegalStateException(file + " was closed");
        }
        if (closed) {
            try {
                use(reconnect());
                closed = false;
            } catch (SQLException e) {
                throw explain(e, file, busyTimeout);
            }
        }
    }

    private static Path reserveOf(Path file) {
        return Path.of(file + ".reserve");
    }

    private static Database open(Path dataDir, String fileName, Duration busyTimeout) {
        boolean readOnly = DataDirectory.prepare(dataDir);
        Path file = dataDir.resolve(fileName);
        if (Files.exists(file) && !Files.isReadable(file)) {
            throw new BackendUnavailable("cannot read " + file + ": permission denied");
        }
        if (readOnly) {
            return openReadOnly(dataDir, file, busyTimeout);
        }
        // SQLite gives its -wal and -shm files the permissions of the database file
        DataDirectory.privateFile(file);
        DataDirectory.privateFile(Path.of(file + "-wal"));
        DataDirectory.privateFile(Path.of(file + "-shm"));
        Connection connection = null;
        Database database = null;
        try {
            connection = connect(file, busyTimeout);
            database = new Database(file, busyTimeout, connection, null);
            database.migrate();
            database.reserve.keep();
            return database;
        } catch (SQLException e) {
            closeQuietly(database == null ? null : database.checkpointer);
            closeQuietly(connection);
            throw explain(e, file, busyTimeout);
        } catch (RuntimeException e) {
            closeQuietly(database == null ? null : database.checkpointer);
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * A stage in a directory its owner made read-only: read as it is (with the log, if a process left one;
     * else the file alone, which nobody can change meanwhile), nothing made, migrated or tightened, and every
     * write refused in one line.
     */
    /** Read only: with the log, if a process left one; else the file alone (immutable: nothing else can write it). */
    private static Connection connectReadOnly(Path file, Duration busyTimeout) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) busyTimeout.toMillis());
        config.setReadOnly(true);
        boolean logLeft = Files.exists(Path.of(file + "-wal"));
        return config.createConnection("jdbc:sqlite:file:" + file.toAbsolutePath() + (logLeft ? "?mode=ro" : "?immutable=1"));
    }

    private Connection reconnect() throws SQLException {
        return readOnly == null ? connect(file, busyTimeout) : connectReadOnly(file, busyTimeout);
    }

    private static Database openReadOnly(Path dataDir, Path file, Duration busyTimeout) {
        if (!Files.exists(file)) {
            throw new BackendUnavailable(DataDirectory.readOnlyLine(dataDir) + " (and it holds no stage " + file.getFileName()
                    + " to read)");
        }
        Connection connection = null;
        try {
            connection = connectReadOnly(file, busyTimeout);
            Database database = new Database(file, busyTimeout, connection, DataDirectory.readOnlyLine(dataDir));
            database.requireCurrentSchema();
            return database;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw explain(e, file, busyTimeout);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Runs work in a write transaction; nested calls become savepoints that undo only themselves on
     * failure. When another thread of this process is writing, the work is left for it: the writer
     * runs every work waiting for it inside its own transaction (each in a savepoint) and commits
     * them all at once, so many small writers pay for one commit (group commit).
     */
    <T> T write(Work<T> work) {
        if (lock.isHeldByCurrentThread()) {
            return nested(work);
        }
        if (lock.tryLock()) {
            try {
                return transaction(work);
            } finally {
                lock.unlock();
            }
        }
        Waiting<T> waiting = new Waiting<>(work);
        waitingWork.add(waiting);
        lock.lock();
        try {
            if (waiting.finished) {
                return waiting.outcome();
            }
            waitingWork.remove(waiting);
            return transaction(work);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A write that must work on a full disk, so rivers can still be drained: when the disk is
     * full, the space kept in reserve is given back and the write is tried once more.
     */
    <T> T writeEvenIfDiskFull(Work<T> work) {
        try {
            return write(work);
        } catch (DiskFull full) {
            if (!reserve.release()) {
                throw full;
            }
            diskFull.reserveGivenBack(DiskReserve.SIZE);
            return write(work);
        }
    }

    private <T> T transaction(Work<T> work) {
        if (readOnly != null) {
            throw new BackendUnavailable(readOnly);
        }
        openIfClosed();
        requireSoundLog();
        try {
            begin.execute();
        } catch (SQLException e) {
            RuntimeException failure = explain(e, file, busyTimeout);
            if (!busy(e)) {
                // "cannot start a transaction within a transaction", a full disk: start over on a fresh connection
                reopen();
            }
            throw noted(failure);
        }
        depth = 1;
        List<Waiting<?>> combined = new ArrayList<>();
        boolean done = false;
        boolean broken = false;
        try {
            T result;
            try {
                result = work.run();
            } catch (SQLException e) {
                broken = !busy(e);
                throw explain(e, file, busyTimeout);
            }
            for (Waiting<?> other; (other = waitingWork.poll()) != null; ) {
                other.runIn(this);
                combined.add(other);
            }
            done = true;
            return result;
        } catch (DiskFull full) {
            broken = true;
            throw noted(full);
        } finally {
            depth = 0;
            RuntimeException failure = finishOutermost(done);
            for (Waiting<?> other : combined) {
                other.finish(failure);
            }
            if (broken || failure != null) {
                // SQLite may or may not have rolled back, a statement may hold a lock: a fresh connection
                reopen();
            } else if (done) {
                checkpointer.wrote();
                if (diskFull.wrote()) {
                    // room again: keep the reserve a full disk will need for draining next time
                    reserve.keep();
                }
            }
            if (failure != null && done) {
                throw noted(failure);
            }
        }
    }

    /** Refuses a write once the stage's log is not the one this process writes (removed, replaced, cut short). */
    private void requireSoundLog() {
        String problem = guardTheLog();
        if (problem != null) {
            throw new BackendUnavailable(problem);
        }
    }

    /** The log's problem, if any; the first time it is found removed, its commits are copied into the file. Lock held. */
    private String guardTheLog() {
        String problem = wal.problem();
        if (problem != null && wal.toRescue()) {
            try (Statement statement = connection.createStatement();
                 var result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                result.next();
                wal.rescued(result.getLong(2), result.getLong(3), null);
            } catch (SQLException e) {
                wal.rescued(0, 0, e.getMessage());
            }
        }
        return problem;
    }

    /** Says once that writes are refused for a full disk (the next successful write says they work again). */
    private RuntimeException noted(RuntimeException failure) {
        if (failure instanceof DiskFull) {
            diskFull.refused();
        }
        return failure;
    }

    /** Busy or locked: another process holds the write lock; nothing is wrong with this connection. */
    private static boolean busy(SQLException e) {
        if (e instanceof SQLiteException sqlite && sqlite.getResultCode() != null) {
            String name = sqlite.getResultCode().name();
            return name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED");
        }
        return false;
    }

    private <T> T nested(Work<T> work) {
        String savepoint = "sp" + depth;
        try {
            execute("SAVEPOINT " + savepoint);
        } catch (SQLException e) {
            throw explain(e, file, busyTimeout);
        }
        depth++;
        boolean done = false;
        try {
            T result = work.run();
            done = true;
            return result;
        } catch (SQLException e) {
            throw explain(e, file, busyTimeout);
        } finally {
            depth--;
            finishNested(done, savepoint);
        }
    }

    /** Runs work that only reads; it sees a consistent snapshot and does not block other processes. */
    <T> T read(Work<T> work) {
        lock.lock();
        try {
            openIfClosed();
            return work.run();
        } catch (SQLException e) {
            if (!busy(e) && depth == 0) {
                // a statement left half way ("statement is not executing"): start over on a fresh connection
                reopen();
            }
            throw explain(e, file, busyTimeout);
        } finally {
            lock.unlock();
        }
    }

    /** A statement prepared once per connection and reused; only call it inside {@link #read} or {@link #write}. */
    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        statement.clearParameters();
        return statement;
    }

    /**
     * The prepared statement of {@code sql} with {@code values} bound to its parameters in order (numbers,
     * text, bytes; null for SQL's NULL): one line where a statement of this shape once bound each by hand.
     */
    PreparedStatement bound(String sql, Object... values) throws SQLException {
        PreparedStatement statement = statement(sql);
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        return statement;
    }

    Path file() {
        return file;
    }

    /**
     * A number that changes whenever another connection (another process) commits to the file, not for this
     * one's commits: SQLite's data version. Asked only when the write-ahead log's size or time changed since
     * the last question (every commit writes it), or a quarter of a second has passed: one file look, not a
     * query, for a stage nobody writes. One caller at a time (the doorbell's watcher).
     */
    long dataVersion() {
        Path wal = Path.of(file + "-wal");
        String look;
        try {
            look = Files.size(wal) + "@" + Files.getLastModifiedTime(wal);
        } catch (IOException noLogYet) {
            look = "";
        }
        long now = System.nanoTime();
        if (look.equals(walSeen) && now - versionAskedAt < ASK_VERSION_AT_LEAST_EVERY.toNanos()) {
            return versionSeen;
        }
        walSeen = look;
        versionAskedAt = now;
        read(() -> {
            guardTheLog();
            return null;
        });
        versionSeen = read(() -> {
            try (var rows = statement("PRAGMA data_version").executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        });
        return versionSeen;
    }

    @Override
    public void close() {
        checkpointer.close();
        lock.lock();
        try {
            shut = true;
            closed = true;
            for (PreparedStatement statement : statements.values()) {
                statement.close();
            }
            begin.close();
            commit.close();
            rollback.close();
            statements.clear();
            connection.close();
        } catch (SQLException ignored) {
            // closing: nothing left to do with the connection either way
        } finally {
            lock.unlock();
        }
    }

    /** Commits (or rolls back); a failed commit is rolled back and returned, to fail every work it held. */
    private RuntimeException finishOutermost(boolean done) {
        try {
            (done ? commit : rollback).execute();
            return null;
        } catch (SQLException e) {
            rollbackQuietly();
            return explain(e, file, busyTimeout);
        }
    }

    private void finishNested(boolean done, String savepoint) {
        try {
            if (done) {
                execute("RELEASE " + savepoint);
            } else {
                execute("ROLLBACK TO " + savepoint);
                execute("RELEASE " + savepoint);
            }
        } catch (SQLException e) {
            if (done) {
                throw explain(e, file, busyTimeout);
            }
        }
    }

    private void rollbackQuietly() {
        try {
            rollback.execute();
        } catch (SQLException ignored) {
            // no transaction left open: nothing to undo
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A read-only stage is read only in the schema this rr knows: it cannot be migrated. */
    private void requireCurrentSchema() {
        int version = read(() -> {
            try (Statement statement = connection.createStatement(); var rows = statement.executeQuery("PRAGMA user_version")) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        });
        if (version != Schema.VERSION) {
            throw new BackendUnavailable(readOnly + " (and " + file + " has schema " + version + ", this rr reads "
                    + Schema.VERSION + ": it must be written to be read)");
        }
    }

    private void migrate() {
        write(() -> {
            int version;
            try (Statement statement = connection.createStatement();
                 var rows = statement.executeQuery("PRAGMA user_version")) {
                version = rows.next() ? rows.getInt(1) : 0;
            }
            if (version > Schema.VERSION) {
                throw new BackendUnavailable(file + " was written by a newer rr (schema " + version
                        + "); this rr knows schema " + Schema.VERSION);
            }
            requireOurs(version);
            if (version < Schema.VERSION) {
                // one transaction: a database is migrated all the way or not at all
                try (Statement statement = connection.createStatement()) {
                    for (int from = version; from < Schema.VERSION; from++) {
                        for (String ddl : Schema.MIGRATIONS.get(from)) {
                            statement.execute(ddl);
                        }
                    }
                    statement.execute("PRAGMA user_version = " + Schema.VERSION);
                }
            }
            return null;
        });
    }

    /**
     * A file with rr's application id is ours; so is an empty one (new), and one an rr from before
     * the application id made (it has rr's tables). Anything else belongs to another program.
     */
    private void requireOurs(int version) throws SQLException {
        int applicationId;
        Set<String> tables = new HashSet<>();
        try (Statement statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("PRAGMA application_id")) {
                applicationId = rows.next() ? rows.getInt(1) : 0;
            }
            try (var rows = statement.executeQuery(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        boolean ours = applicationId == APPLICATION_ID
                || applicationId == 0 && (tables.isEmpty() || version >= 1 && tables.containsAll(OUR_TABLES));
        if (!ours) {
            throw new BackendUnavailable(file + " is not an rr database (it belongs to another program);"
                    + " use another --data-dir or --stage");
        }
        if (applicationId != APPLICATION_ID) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA application_id = " + APPLICATION_ID);
            }
        }
    }

    private static final Set<String> OUR_TABLES = Set.of("records", "checkpoints", "leases", "rivers", "messages");

    static RuntimeException explain(SQLException e, Path file, Duration busyTimeout) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            String name = code == null ? "" : code.name();
            if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED")) {
                return new BackendUnavailable("data directory is locked: " + file + " stayed busy for "
                        + busyTimeout.toSeconds() + " s (another process holds it; close it or use another --data-dir)", e);
            }
            if (name.startsWith("SQLITE_NOTADB") || name.startsWith("SQLITE_CORRUPT")) {
                return new BackendUnavailable(file + " is not an rr database (it is corrupt or another kind of file)", e);
            }
            if (name.startsWith("SQLITE_CANTOPEN") || name.startsWith("SQLITE_PERM") || name.startsWith("SQLITE_AUTH")) {
                return new BackendUnavailable("cannot open " + file + ": check that the data directory is readable and writable", e);
            }
            if (name.startsWith("SQLITE_READONLY")) {
                return new BackendUnavailable("cannot write " + file + ": " + readOnlyCause(file), e);
            }
            if (name.startsWith("SQLITE_FULL") || name.startsWith("SQLITE_IOERR") && diskFull(file)) {
                return new DiskFull("cannot write " + file + ": the disk is full; free some space"
                        + " (readfrom still drains rivers, using the space rr keeps in reserve)", e);
            }
            if (name.startsWith("SQLITE_IOERR")) {
                return new BackendUnavailable("cannot write " + file + ": " + firstLine(e.getMessage()), e);
            }
        }
        return new IllegalStateException("database error on " + file + ": " + firstLine(e.getMessage()), e);
    }

    private static String readOnlyCause(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        if (Files.exists(file) && !Files.isWritable(file)) {
            return "the database file is read-only (make it writable, e.g. chmod u+w " + file + ")";
        }
        if (directory != null && !Files.isWritable(directory)) {
            return "the data directory " + directory + " is read-only";
        }
        return "the file or the file system holding it is read-only";
    }

    private static boolean diskFull(Path file) {
        try {
            return Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace() < 64 * 1024;
        } catch (IOException e) {
            return false;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // already failing; the first error is the one worth reporting
            }
        }
    }

    /** Understands a write left by one thread for the thread that holds the connection to run and commit. */
    private static final class Waiting<T> {
        private final Work<T> work;
        private T result;
        private RuntimeException failure;
        private volatile boolean finished;

        Waiting(Work<T> work) {
            this.work = work;
        }

        void runIn(Database db) {
            try {
                result = db.nested(work);
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        /** Called after the commit: the work only counts if the transaction that held it committed. */
        void finish(RuntimeException commitFailure) {
            if (commitFailure != null && failure == null) {
                failure = commitFailure;
            }
            finished = true;
        }

        T outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    /** Understands that the disk holding the database has no room left. */
    static final class DiskFull extends BackendUnavailable {
        DiskFull(String oneLineReason, Throwable cause) {
            super(oneLineReason, cause);
        }
    }

    /** Understands a piece of database work. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }
}
