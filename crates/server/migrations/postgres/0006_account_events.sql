-- Logins, failed logins, logouts and changes to accounts; see the SQLite
-- migration of the same name.
CREATE TABLE account_events (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT NOT NULL,
    username TEXT NOT NULL,
    user_id  TEXT,
    event    TEXT NOT NULL,
    address  TEXT,
    by_user  TEXT,
    detail   TEXT NOT NULL
);
CREATE INDEX account_events_at ON account_events(at);
CREATE INDEX account_events_user ON account_events(username, at);
