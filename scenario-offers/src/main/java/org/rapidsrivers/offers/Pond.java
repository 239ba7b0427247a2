package org.rapidsrivers.offers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Understands a service's pond: what it learned and keeps, a small table of keys and values of its
 * own that survives restarts (a SQLite file), or lives in memory for unit tests.
 */
public interface Pond extends AutoCloseable {
    Optional<String> get(String key);

    void put(String key, String value);

    /** Keeps the value only if the key has none yet; the value the key holds afterwards. */
    String putIfAbsent(String key, String value);

    void remove(String key);

    /** Every key that starts with the prefix, with its value, in key order. */
    java.util.SortedMap<String, String> withPrefix(String prefix);

    @Override
    void close();

    static Pond inMemory() {
        Map<String, String> values = new ConcurrentHashMap<>();
        return new Pond() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(values.get(key));
            }

            @Override
            public void put(String key, String value) {
                values.put(key, value);
            }

            @Override
            public String putIfAbsent(String key, String value) {
                String before = values.putIfAbsent(key, value);
                return before != null ? before : value;
            }

            @Override
            public void remove(String key) {
                values.remove(key);
            }

            @Override
            public java.util.SortedMap<String, String> withPrefix(String prefix) {
                java.util.SortedMap<String, String> found = new java.util.TreeMap<>();
                values.forEach((key, value) -> {
                    if (key.startsWith(prefix)) {
                        found.put(key, value);
                    }
                });
                return found;
            }

            @Override
            public void close() {
                // nothing to let go
            }
        };
    }

    /** The pond in a SQLite file of its own, made if missing. */
    static Pond file(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA busy_timeout=5000");
                statement.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
            }
            return new SqlitePond(connection);
        } catch (java.io.IOException | SQLException e) {
            throw new IllegalStateException("cannot open the pond " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A failure of the pond itself: a full disk, or a pond locked past the busy timeout, is the stage out of
     * reach (the runner holds the message and tries again), anything else a failure of the handler.
     */
    private static RuntimeException failure(SQLException e) {
        String code = e instanceof org.sqlite.SQLiteException sqlite && sqlite.getResultCode() != null
                ? sqlite.getResultCode().name() : "";
        if (code.startsWith("SQLITE_FULL") || code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_IOERR")) {
            return new org.rapidsrivers.core.BackendUnavailable("pond: " + e.getMessage(), e);
        }
        return new IllegalStateException("pond: " + e.getMessage(), e);
    }

    /** Understands a pond kept in SQLite: every change committed before the call returns. */
    final class SqlitePond implements Pond {
        private final Connection connection;

        private SqlitePond(Connection connection) {
            this.connection = connection;
        }

        @Override
        public synchronized Optional<String> get(String key) {
            try (PreparedStatement select = connection.prepareStatement("SELECT value FROM facts WHERE key = ?")) {
                select.setString(1, key);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw failure(e);
            }
        }

        @Override
        public synchronized void put(String key, String value) {
            update("INSERT INTO facts (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    key, value);
        }

        @Override
        public synchronized String putIfAbsent(String key, String value) {
            update("INSERT OR IGNORE INTO facts (key, value) VALUES (?, ?)", key, value);
            return get(key).orElseThrow();
        }

        @Override
        public synchronized void remove(String key) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM facts WHERE key = ?")) {
                delete.setString(1, key);
                delete.executeUpdate();
            } catch (SQLException e) {
                throw failure(e);
            }
        }

        @Override
        public synchronized java.util.SortedMap<String, String> withPrefix(String prefix) {
            java.util.SortedMap<String, String> found = new java.util.TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT key, value FROM facts WHERE substr(key, 1, ?) = ? ORDER BY key")) {
                select.setInt(1, prefix.length());
                select.setString(2, prefix);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getString(1), rows.getString(2));
                    }
                }
            } catch (SQLException e) {
                throw failure(e);
            }
            return found;
        }

        @Override
        public synchronized void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing: nothing more to keep
            }
        }

        private void update(String sql, String key, String value) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, key);
                statement.setString(2, value);
                statement.executeUpdate();
            } catch (SQLException e) {
                throw failure(e);
            }
        }
    }
}
