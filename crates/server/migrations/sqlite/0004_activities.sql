-- The activity catalogue and bookings: revisions, never updated. Catalogue
-- changes are published to everyone (team and citizen '' in `changes`).
CREATE TABLE activity_revisions (
    id          TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL,
    replaces    TEXT,
    payload     TEXT NOT NULL
);
CREATE INDEX activity_revisions_activity ON activity_revisions(activity_id);

CREATE TABLE booking_revisions (
    id               TEXT PRIMARY KEY,
    booking_id       TEXT NOT NULL,
    replaces         TEXT,
    citizen_id       TEXT NOT NULL REFERENCES citizens(id),
    activity_id      TEXT NOT NULL,
    occurrence_start TEXT NOT NULL,
    payload          TEXT NOT NULL
);
CREATE INDEX booking_revisions_booking ON booking_revisions(booking_id);
CREATE INDEX booking_revisions_occurrence ON booking_revisions(activity_id, occurrence_start);
