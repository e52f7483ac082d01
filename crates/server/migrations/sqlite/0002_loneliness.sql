-- Loneliness-sign registrations: facts, never updated. A correction is a new
-- row naming the one it corrects.
CREATE TABLE loneliness_registrations (
    id          TEXT PRIMARY KEY,
    corrects    TEXT,
    citizen_id  TEXT NOT NULL REFERENCES citizens(id),
    observed_on TEXT NOT NULL,
    payload     TEXT NOT NULL
);
CREATE INDEX loneliness_registrations_citizen ON loneliness_registrations(citizen_id, observed_on);
