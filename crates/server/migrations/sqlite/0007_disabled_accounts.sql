-- When an account was disabled (NULL while it works). A disabled user's
-- sessions are answered "account_disabled", so their devices forget the
-- key to their data at the next contact; enabling the account again ends
-- those sessions.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
