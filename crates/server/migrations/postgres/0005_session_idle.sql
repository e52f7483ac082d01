-- When a session ends unless a request comes first; see the SQLite
-- migration of the same name.
ALTER TABLE sessions ADD COLUMN idle_until TEXT;
