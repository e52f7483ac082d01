-- Each user's device data key; see the SQLite migration of the same name.
ALTER TABLE users ADD COLUMN data_key BYTEA;
