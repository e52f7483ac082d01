-- When a session ends unless a request comes first (the server's idle
-- timeout). NULL for sessions begun before this column: they end at
-- expires_at only.
ALTER TABLE sessions ADD COLUMN idle_until TEXT;
