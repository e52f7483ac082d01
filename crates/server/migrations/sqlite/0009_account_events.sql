-- Logins, failed logins, logouts and changes to accounts, for the
-- municipality's IT department: who, when, from where.
CREATE TABLE account_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    -- The login name as given (for a failed login, whatever was typed,
    -- shortened to 64 characters).
    username TEXT NOT NULL,
    -- The account, when the name is one.
    user_id  TEXT,
    -- login, login_failed, login_disabled, logout, added, disabled,
    -- enabled, moved, password_reset.
    event    TEXT NOT NULL,
    -- The client's address; NULL for the server's own commands.
    address  TEXT,
    -- Who made an account change: a coordinator's login, or NULL for the
    -- server's command line.
    by_user  TEXT,
    detail   TEXT NOT NULL
);
CREATE INDEX account_events_at ON account_events(at);
CREATE INDEX account_events_user ON account_events(username, at);
