-- Restore-safe sync (protocol 2); see the SQLite migration of the same name.
ALTER TABLE changes ADD COLUMN tag BIGINT NOT NULL DEFAULT 0;
ALTER TABLE changes ADD COLUMN received_at TEXT;
ALTER TABLE changes ADD COLUMN keep_window TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN keep_from BIGINT NOT NULL DEFAULT 0;

CREATE TABLE settled_mutations (
    client_id   TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    fingerprint TEXT NOT NULL,
    record_id   TEXT,
    PRIMARY KEY (client_id, seq)
);

CREATE TABLE server_identity (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    database_id TEXT NOT NULL
);
