-- Nærvær's first schema. Times are RFC 3339 text in UTC; ids are UUID text.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('worker', 'coordinator', 'citizen')),
    team          TEXT,
    citizen_id    TEXT,
    password_hash TEXT NOT NULL
);

-- Only a SHA-256 of each bearer token is kept, so a copy of the database
-- cannot be used to log in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    expires_at TEXT NOT NULL
);

CREATE TABLE citizens (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    address TEXT NOT NULL,
    team    TEXT NOT NULL
);

CREATE TABLE visits (
    id          TEXT PRIMARY KEY,
    citizen_id  TEXT NOT NULL REFERENCES citizens(id),
    starts_at   TEXT NOT NULL,
    payload     TEXT NOT NULL
);

CREATE TABLE note_revisions (
    id          TEXT PRIMARY KEY,
    note_id     TEXT NOT NULL,
    replaces    TEXT,
    citizen_id  TEXT NOT NULL REFERENCES citizens(id),
    payload     TEXT NOT NULL
);
CREATE INDEX note_revisions_note ON note_revisions(note_id);

-- One row per device login. last_seq is the last mutation settled (applied or
-- rejected); it is written in the same transaction as the mutation's effect.
CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users(id),
    last_seq  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE rejections (
    client_id TEXT NOT NULL REFERENCES clients(client_id),
    seq       INTEGER NOT NULL,
    code      TEXT NOT NULL,
    message   TEXT NOT NULL,
    PRIMARY KEY (client_id, seq)
);

-- The change feed that devices pull from. team and citizen_id decide who may see a row.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    citizen_id TEXT NOT NULL,
    team       TEXT NOT NULL,
    payload    TEXT NOT NULL
);
CREATE INDEX changes_team ON changes(team, seq);
CREATE INDEX changes_citizen ON changes(citizen_id, seq);

-- Who read or wrote which citizen's data, when and why (GDPR art. 9).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    citizen_id TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX audit_log_citizen ON audit_log(citizen_id, at);
