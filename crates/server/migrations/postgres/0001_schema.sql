-- Nærvær's schema on PostgreSQL: the same tables and columns as the SQLite
-- file (crates/server/migrations), so one set of statements serves both.
-- Ids are UUID text, times RFC 3339 text in UTC, records JSON text.

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
    last_seq  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE rejections (
    client_id TEXT NOT NULL REFERENCES clients(client_id),
    seq       BIGINT NOT NULL,
    code      TEXT NOT NULL,
    message   TEXT NOT NULL,
    PRIMARY KEY (client_id, seq)
);

-- The change feed that devices pull from. team and citizen_id decide who may
-- see a row ('' and '' for the catalogue, which everyone sees). Numbers are
-- given out by writers taking turns (an advisory lock held by every writing
-- transaction), so they follow commit order across server processes.
CREATE TABLE changes (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    citizen_id TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX audit_log_citizen ON audit_log(citizen_id, at);

-- Loneliness-sign registrations: facts, never updated. A correction is a new
-- row naming the one it corrects.
CREATE TABLE loneliness_registrations (
    id          TEXT PRIMARY KEY,
    corrects    TEXT,
    citizen_id  TEXT NOT NULL REFERENCES citizens(id),
    observed_on TEXT NOT NULL,
    payload     TEXT NOT NULL
);
CREATE INDEX loneliness_registrations_citizen ON loneliness_registrations(citizen_id, observed_on);

-- Clip cards (made by the municipality) and their append-only ledgers.
CREATE TABLE clip_cards (
    id         TEXT PRIMARY KEY,
    citizen_id TEXT NOT NULL REFERENCES citizens(id),
    payload    TEXT NOT NULL
);
CREATE INDEX clip_cards_citizen ON clip_cards(citizen_id);

-- Ledger entries: facts, never updated. A cancel is a new row naming its target.
CREATE TABLE clip_entries (
    id      TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES clip_cards(id),
    kind    TEXT NOT NULL,
    target  TEXT,
    payload TEXT NOT NULL
);
CREATE INDEX clip_entries_card ON clip_entries(card_id);

-- Rules of the policy an entry broke when it arrived, for a coordinator.
CREATE TABLE clip_flags (
    entry_id TEXT NOT NULL REFERENCES clip_entries(id),
    code     TEXT NOT NULL,
    PRIMARY KEY (entry_id, code)
);

-- The activity catalogue and bookings: revisions, never updated.
CREATE TABLE activity_revisions (
    id          TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL,
    replaces    TEXT,
    payload     TEXT NOT NULL
);
CREATE INDEX activity_revisions_activity ON activity_revisions(activity_id);

CREATE TABLE booking_revisions (
    id               TEXT PRIMARY KEY,
    booking_id       TEXT NOT NULL,
    replaces         TEXT,
    citizen_id       TEXT NOT NULL REFERENCES citizens(id),
    activity_id      TEXT NOT NULL,
    occurrence_start TEXT NOT NULL,
    payload          TEXT NOT NULL
);
CREATE INDEX booking_revisions_booking ON booking_revisions(booking_id);
CREATE INDEX booking_revisions_occurrence ON booking_revisions(activity_id, occurrence_start);
