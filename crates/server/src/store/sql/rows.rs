//! How records, accounts and feed rows are kept in SQL rows: ids and times
//! as text, records as JSON payloads beside the columns queries need.

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use naervaer_domain::{ChangeKind, Role, User};
use sqlx::Row;
use uuid::Uuid;

use crate::store::{Audience, StoreError};

/// A record's row: the insert statement's start (table and columns) and
/// its values, all text or NULL.
pub(in crate::store) type RowValues = (&'static str, Vec<Option<String>>);

/// The row a record is stored as.
pub(in crate::store) fn row_of(record: &Record) -> Result<RowValues, StoreError> {
    let id = |u: Uuid| Some(u.to_string());
    Ok(match record {
        Record::Citizen(c) => (
            "INSERT INTO citizens (id, name, address, team) ",
            vec![
                id(c.id),
                Some(c.name.clone()),
                Some(c.address.clone()),
                Some(c.team.clone()),
            ],
        ),
        Record::Visit(v) => (
            "INSERT INTO visits (id, citizen_id, starts_at, payload) ",
            vec![
                id(v.id),
                id(v.citizen_id),
                Some(v.starts_at.to_rfc3339()),
                Some(to_json(v)?),
            ],
        ),
        Record::Note(n) => (
            "INSERT INTO note_revisions (id, note_id, replaces, citizen_id, payload) ",
            vec![
                id(n.id),
                id(n.note_id),
                replaces_column(&n.replaces),
                id(n.citizen_id),
                Some(to_json(n)?),
            ],
        ),
        Record::Loneliness(r) => (
            "INSERT INTO loneliness_registrations (id, corrects, citizen_id, observed_on, payload) ",
            vec![
                id(r.id),
                r.corrects.and_then(id),
                id(r.citizen_id),
                Some(r.observed_on.to_string()),
                Some(to_json(r)?),
            ],
        ),
        Record::ClipCard(c) => (
            "INSERT INTO clip_cards (id, citizen_id, payload) ",
            vec![id(c.id), id(c.citizen_id), Some(to_json(c)?)],
        ),
        Record::ClipEntry(e) => (
            "INSERT INTO clip_entries (id, card_id, kind, target, payload) ",
            vec![
                id(e.id),
                id(e.card_id),
                Some(e.kind.as_str().to_string()),
                e.target.and_then(id),
                Some(to_json(e)?),
            ],
        ),
        Record::Activity(a) => (
            "INSERT INTO activity_revisions (id, activity_id, replaces, payload) ",
            vec![
                id(a.id),
                id(a.activity_id),
                a.replaces.and_then(id),
                Some(to_json(a)?),
            ],
        ),
        Record::Booking(b) => (
            "INSERT INTO booking_revisions (id, booking_id, replaces, citizen_id, activity_id, occurrence_start, payload) ",
            vec![
                id(b.id),
                id(b.booking_id),
                b.replaces.and_then(id),
                id(b.citizen_id),
                id(b.activity_id),
                Some(naervaer_domain::wire_time::format_instant(
                    b.occurrence_start,
                )),
                Some(to_json(b)?),
            ],
        ),
    })
}

pub(in crate::store) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A stored payload read back; a payload that does not parse is corrupt data.
pub(in crate::store) fn from_json<T: serde::de::DeserializeOwned>(
    payload: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(payload).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(in crate::store) fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("bad uuid '{s}': {e}")))
}

pub(in crate::store) fn seq_to_db(seq: u64) -> Result<i64, StoreError> {
    i64::try_from(seq).map_err(|_| StoreError::Corrupt(format!("seq {seq} out of range")))
}

pub(in crate::store) fn seq_from_db(seq: i64) -> u64 {
    u64::try_from(seq).unwrap_or(0)
}

pub(in crate::store) fn parse_time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The table a record kind is kept in (with its payload column).
pub(in crate::store) fn table_of(kind: ChangeKind) -> Option<&'static str> {
    match kind {
        ChangeKind::Note => Some("note_revisions"),
        ChangeKind::Loneliness => Some("loneliness_registrations"),
        ChangeKind::ClipCard => Some("clip_cards"),
        ChangeKind::ClipEntry => Some("clip_entries"),
        ChangeKind::Activity => Some("activity_revisions"),
        ChangeKind::Booking => Some("booking_revisions"),
        ChangeKind::Visit => Some("visits"),
        ChangeKind::Citizen => None,
    }
}

/// A record of `kind` from its stored payload.
pub(in crate::store) fn record_of(kind: ChangeKind, payload: &str) -> Result<Record, StoreError> {
    Ok(match kind {
        ChangeKind::Note => Record::Note(from_json(payload)?),
        ChangeKind::Loneliness => Record::Loneliness(from_json(payload)?),
        ChangeKind::ClipCard => Record::ClipCard(from_json(payload)?),
        ChangeKind::ClipEntry => Record::ClipEntry(from_json(payload)?),
        ChangeKind::Activity => Record::Activity(from_json(payload)?),
        ChangeKind::Booking => Record::Booking(from_json(payload)?),
        ChangeKind::Visit | ChangeKind::Citizen => Record::Visit(from_json(payload)?),
    })
}

/// Payloads read back as records.
pub(in crate::store) fn payloads<T: serde::de::DeserializeOwned>(
    rows: &[String],
) -> Result<Vec<T>, StoreError> {
    rows.iter().map(|p| from_json(p)).collect()
}

/// An account from a `users` row.
pub(in crate::store) fn user_from_row<R>(row: &R) -> Result<User, StoreError>
where
    R: Row,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
{
    let role: String = row.try_get("role")?;
    let citizen_id: Option<String> = row.try_get("citizen_id")?;
    Ok(User {
        id: parse_uuid(&row.try_get::<String, _>("id")?)?,
        username: row.try_get("username")?,
        name: row.try_get("name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
        team: row.try_get("team")?,
        citizen_id: citizen_id.as_deref().map(parse_uuid).transpose()?,
    })
}

/// A feed row for sending, from a `changes` row (`seq, citizen_id, team,
/// payload, tag, received_at`).
pub(in crate::store) fn sent_row<R>(row: &R) -> Result<crate::store::SentRow, StoreError>
where
    R: Row,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
{
    let citizen: String = row.try_get("citizen_id")?;
    let received: Option<String> = row.try_get("received_at")?;
    crate::store::SentRow::from_payload(
        seq_from_db(row.try_get("seq")?),
        audience_of(&citizen, row.try_get("team")?)?,
        row.try_get("payload")?,
        received.as_deref().map(parse_time).transpose()?,
        seq_from_db(row.try_get("tag")?),
    )
}

/// Who may see a feed row, from its citizen and team columns.
pub(in crate::store) fn audience_of(
    citizen_id: &str,
    team: String,
) -> Result<Audience, StoreError> {
    if citizen_id.is_empty() {
        Ok(Audience::Everyone)
    } else {
        Ok(Audience::Citizen {
            citizen_id: parse_uuid(citizen_id)?,
            team,
        })
    }
}

/// The note revision's `replaces` column: the ids it replaces, comma-separated.
pub(in crate::store) fn replaces_column(replaces: &[Uuid]) -> Option<String> {
    (!replaces.is_empty()).then(|| {
        replaces
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(",")
    })
}
