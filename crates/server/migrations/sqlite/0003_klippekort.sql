-- Clip cards (made by the municipality) and their append-only ledgers.
CREATE TABLE clip_cards (
    id         TEXT PRIMARY KEY,
    citizen_id TEXT NOT NULL REFERENCES citizens(id),
    payload    TEXT NOT NULL
);
CREATE INDEX clip_cards_citizen ON clip_cards(citizen_id);

-- Ledger entries: facts, never updated. A cancel is a new row naming its target.
CREATE TABLE clip_entries (
    id      TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES clip_cards(id),
    kind    TEXT NOT NULL,
    target  TEXT,
    payload TEXT NOT NULL
);
CREATE INDEX clip_entries_card ON clip_entries(card_id);

-- Rules of the policy an entry broke when it arrived, for a coordinator.
CREATE TABLE clip_flags (
    entry_id TEXT NOT NULL REFERENCES clip_entries(id),
    code     TEXT NOT NULL,
    PRIMARY KEY (entry_id, code)
);
