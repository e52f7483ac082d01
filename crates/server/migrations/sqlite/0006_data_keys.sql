-- Each user's device data key (32 random bytes), made at the user's first
-- login after this version and never changed: a device seals what it keeps
-- of the user with it (see docs/security.md).
ALTER TABLE users ADD COLUMN data_key BLOB;
