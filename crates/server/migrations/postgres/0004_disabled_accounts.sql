-- When an account was disabled; see the SQLite migration of the same name.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
