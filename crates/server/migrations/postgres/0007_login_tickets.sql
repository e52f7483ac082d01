-- One-time tickets of a login through the municipality's identity
-- provider; see the SQLite migration of the same name.
CREATE TABLE login_tickets (
    id_hash      TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    binding_hash TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX login_tickets_created ON login_tickets(created_at);
