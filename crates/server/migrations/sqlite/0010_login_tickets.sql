-- One-time tickets of a login through the municipality's identity
-- provider: a login begun (its state, nonce and PKCE verifier) and a login
-- done, waiting for the app to collect its session. Each is taken once
-- and lives minutes; only a SHA-256 of its id and of the browser's cookie
-- is kept.
CREATE TABLE login_tickets (
    id_hash      TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    binding_hash TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX login_tickets_created ON login_tickets(created_at);
