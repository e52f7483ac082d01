-- The person at the identity provider an account belongs to; see the
-- SQLite migration of the same name.
ALTER TABLE users ADD COLUMN municipal_subject TEXT;
