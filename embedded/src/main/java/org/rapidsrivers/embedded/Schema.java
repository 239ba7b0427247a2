package org.rapidsrivers.embedded;

import java.util.List;

/**
 * Understands the tables of the embedded backend and how a database of an older rr becomes one of
 * this rr: {@link #MIGRATIONS}.get(n) takes a database from schema n to n + 1, so a stage made by any
 * earlier rr opens with its rivers, messages and checkpoints as they were.
 */
final class Schema {
    /** Schema 1: streams, checkpoints, leases (judged by an expiry time), rivers, routing, catalog, dead letters, traffic. */
    private static final List<String> VERSION_1 = List.of(
            // The rapids and the control stream: ordered logs split into shards by partition key.
            "CREATE TABLE IF NOT EXISTS records (seq INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL,"
                    + " shard INTEGER NOT NULL, partition_key TEXT NOT NULL, data BLOB NOT NULL, arrived_ms INTEGER NOT NULL)",
            "CREATE INDEX IF NOT EXISTS records_by_shard ON records (stream, shard, seq)",
            "CREATE TABLE IF NOT EXISTS checkpoints (stream TEXT NOT NULL, consumer TEXT NOT NULL, shard INTEGER NOT NULL,"
                    + " seq INTEGER NOT NULL, PRIMARY KEY (stream, consumer, shard)) WITHOUT ROWID",
            // Who may process a stream: one holder at a time.
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

    /**
     * Schema 2: no process trusts another's clock. A lease is judged by a generation (one more at every
     * change of holder: the fence every write under it checks) and a renewal counter others time on their
     * own monotonic clocks; its time is only the holder's stamp, kept to be shown. A message keeps who
     * stamped its visibility and when, so a stamp from a clock that runs ahead counts as visible now.
     */
    private static final List<String> VERSION_2 = List.of(
            "ALTER TABLE leases RENAME COLUMN expires_ms TO stamped_ms",
            "ALTER TABLE leases ADD COLUMN generation INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE leases ADD COLUMN renewals INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE messages ADD COLUMN stamped_ms INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE messages ADD COLUMN stamped_by INTEGER",
            // a message never received was stamped when it was routed
            "UPDATE messages SET stamped_ms = sent_ms WHERE receives = 0",
            // the processes that stamped something, so status can say who: one row per process that wrote
            "CREATE TABLE IF NOT EXISTS processes (id INTEGER PRIMARY KEY AUTOINCREMENT, pid INTEGER NOT NULL,"
                    + " command TEXT NOT NULL, started_ms INTEGER NOT NULL)");

    /**
     * Schema 3: services' ponds live in the stage's database, beside the rivers they read, shared by their
     * instances; and a river may hold messages of its own, not from the rapids: reminders a service sets
     * itself (a need's deadline), which whichever instance receives them handles. Such a message's id is
     * the reminder's id negated, so record ids and reminder ids never meet.
     */
    private static final List<String> VERSION_3 = List.of(
            // what each service learned (expires_ms 0: kept until removed)
            "CREATE TABLE IF NOT EXISTS ponds (service TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                    + " expires_ms INTEGER NOT NULL, PRIMARY KEY (service, key)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS reminders (id INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL)");

    /**
     * Schema 4: the rapids is the archive. Its records are kept until the stage's archive retention (none:
     * kept), each with its type and the keys of its eventId and chain (correlationId, else its own id), so a
     * window, a type, or a chain or an event within a window, is read by index; records an earlier rr kept get theirs from their bytes. A subscription
     * remembers the newest record when it began: the fan-out routes it only later records, so a backfill
     * of earlier ones meets the live ones with no gap and no overlap. A river message may be a replay (its
     * generation); replays are noted with how far they got, so a replay killed and run again resumes.
     */
    private static final List<String> VERSION_4 = List.of(
            "ALTER TABLE records ADD COLUMN type TEXT",
            "ALTER TABLE records ADD COLUMN event_key TEXT",
            "ALTER TABLE records ADD COLUMN chain_key TEXT",
            "UPDATE records SET type = json_extract(CAST(data AS TEXT), '$.eventType'),"
                    + " event_key = substr(json_extract(CAST(data AS TEXT), '$.eventId'), -8),"
                    + " chain_key = substr(coalesce(json_extract(CAST(data AS TEXT), '$.correlationId'),"
                    + " json_extract(CAST(data AS TEXT), '$.eventId')), -8)"
                    + " WHERE json_valid(CAST(data AS TEXT)) AND json_type(CAST(data AS TEXT), '$.eventType') = 'text'",
            // both grow at their end as records arrive (time; each type's seq), so an append stays cheap: an index
            // by eventId or chain alone would be written at random places, costing every append a page or two.
            // A chain or an event is found by scanning this one over the window asked (a trace's --since), by the
            // last eight characters of its ids (small to keep and to scan); the record's bytes then confirm it
            "CREATE INDEX IF NOT EXISTS records_by_time ON records (stream, arrived_ms, chain_key, event_key)",
            "CREATE INDEX IF NOT EXISTS records_by_type ON records (type, seq) WHERE type IS NOT NULL",
            "ALTER TABLE river_topics ADD COLUMN from_seq INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE messages ADD COLUMN replay INTEGER NOT NULL DEFAULT 0",
            "CREATE TABLE IF NOT EXISTS replays (generation INTEGER PRIMARY KEY AUTOINCREMENT, river TEXT NOT NULL,"
                    + " filter TEXT NOT NULL, since_ms INTEGER NOT NULL, until_ms INTEGER NOT NULL, position INTEGER NOT NULL DEFAULT 0,"
                    + " sent INTEGER NOT NULL DEFAULT 0, started_ms INTEGER NOT NULL, finished_ms INTEGER)",
            "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");

    /**
     * Schema 5: the control plane keeps a ledger of every command's outcome (the first one written stays),
     * with the command, when it was applied and whether it changed anything: watchers and traces read it,
     * never an outcome event on the rapids, which any producer could have put there. And what each service
     * instance last said of itself (started, alive, stopped), one row per instance, so status shows each
     * instance's own counters and which stopped. A dead letter keeps why its reader gave up on it.
     */
    private static final List<String> VERSION_5 = List.of(
            "CREATE TABLE IF NOT EXISTS outcomes (command_id TEXT PRIMARY KEY, applied INTEGER NOT NULL, event_type TEXT NOT NULL,"
                    + " reason TEXT NOT NULL, command TEXT, river TEXT, topic TEXT, issued_ms INTEGER, at_ms INTEGER NOT NULL,"
                    + " changed INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE INDEX IF NOT EXISTS outcomes_by_time ON outcomes (at_ms) WHERE changed = 1",
            "ALTER TABLE messages ADD COLUMN reason TEXT",
            "CREATE TABLE IF NOT EXISTS instances (service TEXT NOT NULL, instance_id TEXT NOT NULL, state TEXT NOT NULL,"
                    + " started_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, payload TEXT NOT NULL,"
                    + " PRIMARY KEY (service, instance_id)) WITHOUT ROWID");

    /** Schema 6: a river may want only some of a topic's events, by content: the --where words, null for all of them. */
    private static final List<String> VERSION_6 = List.of(
            "ALTER TABLE river_topics ADD COLUMN filter TEXT");

    /** MIGRATIONS.get(n): the statements that take a database from schema n to n + 1. */
    static final List<List<String>> MIGRATIONS = List.of(VERSION_1, VERSION_2, VERSION_3, VERSION_4, VERSION_5, VERSION_6);

    /** The schema this rr writes. */
    static final int VERSION = MIGRATIONS.size();

    private Schema() {
    }
}
