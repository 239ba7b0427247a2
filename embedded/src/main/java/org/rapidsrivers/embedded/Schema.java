package org.rapidsrivers.embedded;

import java.util.List;

/** Understands the tables of the embedded backend: streams, checkpoints, leases, rivers, routing, catalog, dead letters, traffic. */
final class Schema {
    static final List<String> STATEMENTS = List.of(
            // The rapids and the control stream: ordered logs split into shards by partition key.
            "CREATE TABLE IF NOT EXISTS records (seq INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL,"
                    + " shard INTEGER NOT NULL, partition_key TEXT NOT NULL, data BLOB NOT NULL, arrived_ms INTEGER NOT NULL)",
            "CREATE INDEX IF NOT EXISTS records_by_shard ON records (stream, shard, seq)",
            "CREATE TABLE IF NOT EXISTS checkpoints (stream TEXT NOT NULL, consumer TEXT NOT NULL, shard INTEGER NOT NULL,"
                    + " seq INTEGER NOT NULL, PRIMARY KEY (stream, consumer, shard)) WITHOUT ROWID",
            // Who may process a stream: one holder at a time, until the lease expires.
            "CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms INTEGER NOT NULL) WITHOUT ROWID",
            // Rivers and the routing table (the embedded counterpart of SNS filter policies).
            "CREATE TABLE IF NOT EXISTS rivers (name TEXT PRIMARY KEY, created_ms INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS river_topics (river TEXT NOT NULL, topic TEXT NOT NULL, PRIMARY KEY (river, topic)) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS river_topics_by_topic ON river_topics (topic, river)",
            "CREATE TABLE IF NOT EXISTS catalog (topic TEXT PRIMARY KEY, advertised_ms INTEGER NOT NULL) WITHOUT ROWID",
            // River queues and their dead-letter queues (queue = river, or river + '-dlq'). A message is the
            // rapids record it came from (id = the record's seq), so an event is stored once however many
            // rivers it reaches and is delivered exactly as it was published. Clustered by queue, so a
            // receive or delete of ten touches one page.
            "CREATE TABLE IF NOT EXISTS messages (queue TEXT NOT NULL, id INTEGER NOT NULL,"
                    + " sent_ms INTEGER NOT NULL, visible_ms INTEGER NOT NULL, receives INTEGER NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (queue, id)) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS messages_to_redrive ON messages (queue) WHERE receives >= 5",
            // What the planes gave up on, with the reason.
            "CREATE TABLE IF NOT EXISTS dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL,"
                    + " shard_id TEXT, sequence_number TEXT, data BLOB NOT NULL, reason TEXT NOT NULL, buried_ms INTEGER NOT NULL)",
            // What the fan-out routed, per publisher and event type (status and topology read it).
            "CREATE TABLE IF NOT EXISTS traffic (domain TEXT NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,"
                    + " last_ms INTEGER NOT NULL, last_payload TEXT, PRIMARY KEY (domain, type)) WITHOUT ROWID");

    private Schema() {
    }
}
