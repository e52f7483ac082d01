-- Restore-safe sync (protocol 2).
--
-- Every feed row gets a random tag: a device sends the tag of the row at its
-- cursor, and a database restored from a backup has another row there (or
-- none), so the device learns to pull again instead of skipping changes.
-- Rows written before this version keep tag 0.
ALTER TABLE changes ADD COLUMN tag INTEGER NOT NULL DEFAULT 0;
-- When the server received the record (its clock); NULL for history seeded
-- from before the app and rows written before this version.
ALTER TABLE changes ADD COLUMN received_at TEXT;
-- Which retention window keeps the record ('history', 'past', or '' for
-- always) and the instant (Unix seconds) its age is reckoned from, so a
-- pull leaves out what the device would not keep.
ALTER TABLE changes ADD COLUMN keep_window TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN keep_from INTEGER NOT NULL DEFAULT 0;

-- A fingerprint of every settled mutation, so that a seq sent again with
-- other content (a copied tablet, or one whose storage was restored) is
-- told from a repeat; and the id of its record, which a device names for
-- its last acknowledged seq.
CREATE TABLE settled_mutations (
    client_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    record_id   TEXT,
    PRIMARY KEY (client_id, seq)
) WITHOUT ROWID;

-- The database's identity, made once by the first server that opens it.
CREATE TABLE server_identity (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    database_id TEXT NOT NULL
);
