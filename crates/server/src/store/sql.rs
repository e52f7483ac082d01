//! What the two SQL stores share: one schema shape (ids and times as text,
//! records as JSON payloads beside the columns queries need), one set of
//! statements (`$N` placeholders, which SQLite and PostgreSQL both take), and
//! the buffer that writes a transaction's feed and audit rows in a few
//! statements at commit. [`sql_store!`] writes the [`super::Tx`] and shared
//! [`super::Store`] methods for a store; each store keeps only how it opens,
//! begins (who waits for whom) and what its database needs said differently.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use naervaer_domain::retention::reckoned_from;
use naervaer_domain::{ChangeKind, Role, User};
use sqlx::Row;
use uuid::Uuid;

use super::{Audience, AuditEntry, Settled, StoreError};

/// Rows written in one multi-row statement (at most 7 values each: well
/// under SQLite's and PostgreSQL's limits on bound values).
pub(super) const ROWS_PER_STATEMENT: usize = 500;

/// A change waiting to be written to the feed at commit.
pub(super) struct PendingChange {
    pub kind: &'static str,
    pub record_id: String,
    /// The citizen's id, or '' for the catalogue (everyone).
    pub citizen_id: String,
    /// The citizen's team, or '' for the catalogue.
    pub team: String,
    pub payload: String,
    pub tag: i64,
    pub received_at: Option<String>,
    /// The retention window that keeps the record, or ''.
    pub keep_window: &'static str,
    /// Unix seconds its age is reckoned from.
    pub keep_from: i64,
}

impl PendingChange {
    /// The feed row of `record` for `audience`, received at `received_at`.
    pub fn new(
        record: &Record,
        audience: &Audience,
        received_at: Option<DateTime<Utc>>,
    ) -> Result<PendingChange, StoreError> {
        let (citizen_id, team) = match audience {
            Audience::Citizen { citizen_id, team } => (citizen_id.to_string(), team.clone()),
            Audience::Everyone => (String::new(), String::new()),
        };
        let (keep_window, keep_from) = match reckoned_from(record, received_at) {
            Some((window, from)) => (window.as_str(), from.timestamp()),
            None => ("", 0),
        };
        Ok(PendingChange {
            kind: record.kind().as_str(),
            record_id: record.id().to_string(),
            citizen_id,
            team,
            payload: to_json(record)?,
            tag: seq_to_db(super::new_tag())?,
            received_at: received_at.map(|at| at.to_rfc3339()),
            keep_window,
            keep_from,
        })
    }
}

/// What a transaction keeps beside its database transaction. Nothing a
/// transaction writes is read back by another until it commits (writers
/// take turns), so it can wait: records are written in one multi-row
/// statement per table (before a query that reads their table, and at
/// commit), feed and audit rows at commit. A push of n records costs a few
/// statements, not 4n, and what it looked up or wrote is not asked again.
#[derive(Default)]
pub(super) struct TxState {
    /// Records inserted, not yet written, in order.
    pub records: Vec<Record>,
    /// Feed rows, written at commit.
    pub changes: Vec<PendingChange>,
    /// Audit rows, written at commit.
    pub audit: Vec<AuditEntry>,
    /// Citizens' teams read or written in this transaction.
    pub teams: HashMap<Uuid, Option<String>>,
    /// Records looked up or written in this transaction (`None`: known absent).
    pub known: HashMap<(&'static str, Uuid), Option<Record>>,
    /// Fingerprints of settled mutations, written at commit.
    pub settled: Vec<(String, i64, Settled)>,
}

/// A record's row: the insert statement's start (table and columns) and
/// its values, all text or NULL.
pub(super) type RowValues = (&'static str, Vec<Option<String>>);

/// The row a record is stored as.
pub(super) fn row_of(record: &Record) -> Result<RowValues, StoreError> {
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

/// Rows in statements: each run of one table, at most
/// [`ROWS_PER_STATEMENT`] a statement, in the order they were inserted
/// (so a citizen is written before her visits).
pub(super) fn statements(rows: &[RowValues]) -> impl Iterator<Item = &[RowValues]> {
    rows.chunk_by(|a, b| a.0 == b.0)
        .flat_map(|run| run.chunks(ROWS_PER_STATEMENT))
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A stored payload read back; a payload that does not parse is corrupt data.
pub(super) fn from_json<T: serde::de::DeserializeOwned>(payload: &str) -> Result<T, StoreError> {
    serde_json::from_str(payload).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("bad uuid '{s}': {e}")))
}

pub(super) fn seq_to_db(seq: u64) -> Result<i64, StoreError> {
    i64::try_from(seq).map_err(|_| StoreError::Corrupt(format!("seq {seq} out of range")))
}

pub(super) fn seq_from_db(seq: i64) -> u64 {
    u64::try_from(seq).unwrap_or(0)
}

pub(super) fn parse_time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The table a record kind is kept in (with its payload column).
pub(super) fn table_of(kind: ChangeKind) -> Option<&'static str> {
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
pub(super) fn record_of(kind: ChangeKind, payload: &str) -> Result<Record, StoreError> {
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
pub(super) fn payloads<T: serde::de::DeserializeOwned>(
    rows: &[String],
) -> Result<Vec<T>, StoreError> {
    rows.iter().map(|p| from_json(p)).collect()
}

/// An account from a `users` row.
pub(super) fn user_from_row<R>(row: &R) -> Result<User, StoreError>
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
pub(super) fn sent_row<R>(row: &R) -> Result<super::SentRow, StoreError>
where
    R: Row,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
{
    let citizen: String = row.try_get("citizen_id")?;
    let received: Option<String> = row.try_get("received_at")?;
    super::SentRow::from_payload(
        seq_from_db(row.try_get("seq")?),
        audience_of(&citizen, row.try_get("team")?)?,
        row.try_get("payload")?,
        received.as_deref().map(parse_time).transpose()?,
        seq_from_db(row.try_get("tag")?),
    )
}

/// Who may see a feed row, from its citizen and team columns.
pub(super) fn audience_of(citizen_id: &str, team: String) -> Result<Audience, StoreError> {
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
pub(super) fn replaces_column(replaces: &[Uuid]) -> Option<String> {
    (!replaces.is_empty()).then(|| {
        replaces
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// Writes the [`super::Tx`] impl and the [`super::Store`] impl for a SQL
/// store. `$tx` must have fields `tx: Transaction<'static, $db>` and
/// `state: TxState`; `$store` must have `pool: Pool<$db>`, `clip_policy`,
/// `async fn begin_tx(&self)` and `async fn writer(&self)` (what must be
/// held while writing outside a transaction).
macro_rules! sql_store {
    ($store:ty, $tx:ty, $db:ty) => {
        impl $tx {
            /// The feed rows after `cursor` that `scope` may see, through
            /// `executor` (the pool, or a transaction).
            async fn feed_rows<'e, E>(
                executor: E,
                scope: &Scope,
                cursor: u64,
                limit: u32,
                keep: &Keep,
            ) -> Result<Vec<SentRow>, StoreError>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                let mut query = sqlx::QueryBuilder::<$db>::new(
                    "SELECT seq, citizen_id, team, payload, tag, received_at FROM changes WHERE seq > ",
                );
                query.push_bind(sql::seq_to_db(cursor)?);
                match scope {
                    Scope::All => {}
                    Scope::Team(team) => {
                        query
                            .push(" AND (team = ")
                            .push_bind(team.clone())
                            .push(" OR (citizen_id = '' AND team = ''))");
                    }
                    Scope::Citizen(citizen) => {
                        query
                            .push(" AND citizen_id IN (")
                            .push_bind(citizen.to_string())
                            .push(", '')");
                    }
                }
                query
                    .push(" AND (keep_window = '' OR (keep_window = 'history' AND keep_from >= ")
                    .push_bind(keep.history_from.timestamp())
                    .push(") OR (keep_window = 'past' AND keep_from >= ")
                    .push_bind(keep.past_from.timestamp())
                    .push(")) ORDER BY seq LIMIT ")
                    .push_bind(i64::from(limit));
                let rows = query.build().fetch_all(executor).await?;
                rows.iter().map(sql::sent_row).collect()
            }

            /// Writes the feed rows published so far (numbered now, in
            /// the writer's turn).
            async fn write_changes(&mut self) -> Result<(), StoreError> {
                let changes = std::mem::take(&mut self.state.changes);
                for chunk in changes.chunks(sql::ROWS_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO changes (kind, record_id, citizen_id, team, payload, tag, received_at, keep_window, keep_from) ",
                    );
                    insert.push_values(chunk, |mut row, c| {
                        row.push_bind(c.kind)
                            .push_bind(c.record_id.clone())
                            .push_bind(c.citizen_id.clone())
                            .push_bind(c.team.clone())
                            .push_bind(c.payload.clone())
                            .push_bind(c.tag)
                            .push_bind(c.received_at.clone())
                            .push_bind(c.keep_window)
                            .push_bind(c.keep_from);
                    });
                    insert.build().execute(&mut *self.tx).await?;
                }
                Ok(())
            }

            /// Writes the records inserted so far.
            async fn write_records(&mut self) -> Result<(), StoreError> {
                if self.state.records.is_empty() {
                    return Ok(());
                }
                let records = std::mem::take(&mut self.state.records);
                let rows = records
                    .iter()
                    .map(sql::row_of)
                    .collect::<Result<Vec<_>, _>>()?;
                for rows in sql::statements(&rows) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(rows[0].0);
                    insert.push_values(rows, |mut row, (_, values)| {
                        for value in values {
                            row.push_bind(value.clone());
                        }
                    });
                    insert.build().execute(&mut *self.tx).await?;
                }
                Ok(())
            }
        }

        impl $crate::store::Tx for $tx {
            async fn commit(mut self) -> Result<(), StoreError> {
                self.write_records().await?;
                self.write_changes().await?;
                let settled = std::mem::take(&mut self.state.settled);
                for chunk in settled.chunks(sql::ROWS_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO settled_mutations (client_id, seq, fingerprint, record_id) ",
                    );
                    insert.push_values(chunk, |mut row, (client, seq, settled)| {
                        row.push_bind(client.clone())
                            .push_bind(*seq)
                            .push_bind(settled.fingerprint.clone())
                            .push_bind(settled.record_id.map(|id| id.to_string()));
                    });
                    insert.build().execute(&mut *self.tx).await?;
                }
                let audit = std::mem::take(&mut self.state.audit);
                for chunk in audit.chunks(sql::ROWS_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO audit_log (at, user_id, citizen_id, action, detail) ",
                    );
                    insert.push_values(chunk, |mut row, a| {
                        row.push_bind(a.at.to_rfc3339())
                            .push_bind(a.user_id.to_string())
                            .push_bind(a.citizen_id.to_string())
                            .push_bind(a.action.clone())
                            .push_bind(a.detail.clone());
                    });
                    insert.build().execute(&mut *self.tx).await?;
                }
                self.tx.commit().await?;
                Ok(())
            }

            async fn client(&mut self, client_id: Uuid) -> Result<Option<(Uuid, u64)>, StoreError> {
                let row: Option<(String, i64)> =
                    sqlx::query_as("SELECT user_id, last_seq FROM clients WHERE client_id = $1")
                        .bind(client_id.to_string())
                        .fetch_optional(&mut *self.tx)
                        .await?;
                row.map(|(user, last)| Ok((sql::parse_uuid(&user)?, sql::seq_from_db(last))))
                    .transpose()
            }

            async fn insert_client(
                &mut self,
                client_id: Uuid,
                user_id: Uuid,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO clients (client_id, user_id, last_seq) VALUES ($1, $2, 0)",
                )
                .bind(client_id.to_string())
                .bind(user_id.to_string())
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn settled(
                &mut self,
                client_id: Uuid,
                seqs: &[u64],
            ) -> Result<std::collections::HashMap<u64, Settled>, StoreError> {
                let mut found = std::collections::HashMap::new();
                for chunk in seqs.chunks(sql::ROWS_PER_STATEMENT) {
                    let mut select = sqlx::QueryBuilder::<$db>::new(
                        "SELECT seq, fingerprint, record_id FROM settled_mutations WHERE client_id = ",
                    );
                    select.push_bind(client_id.to_string()).push(" AND seq IN (");
                    let mut list = select.separated(", ");
                    for seq in chunk {
                        list.push_bind(sql::seq_to_db(*seq)?);
                    }
                    select.push(")");
                    let rows: Vec<(i64, String, Option<String>)> =
                        select.build_query_as().fetch_all(&mut *self.tx).await?;
                    for (seq, fingerprint, record) in rows {
                        found.insert(
                            sql::seq_from_db(seq),
                            Settled {
                                fingerprint,
                                record_id: record.as_deref().map(sql::parse_uuid).transpose()?,
                            },
                        );
                    }
                }
                Ok(found)
            }

            async fn insert_settled(
                &mut self,
                client_id: Uuid,
                rows: &[(u64, Settled)],
            ) -> Result<(), StoreError> {
                for (seq, settled) in rows {
                    self.state.settled.push((
                        client_id.to_string(),
                        sql::seq_to_db(*seq)?,
                        settled.clone(),
                    ));
                }
                Ok(())
            }

            async fn set_last_seq(&mut self, client_id: Uuid, seq: u64) -> Result<(), StoreError> {
                sqlx::query("UPDATE clients SET last_seq = $1 WHERE client_id = $2")
                    .bind(sql::seq_to_db(seq)?)
                    .bind(client_id.to_string())
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn rejection(
                &mut self,
                client_id: Uuid,
                seq: u64,
            ) -> Result<Option<Rejection>, StoreError> {
                let row: Option<(String, String)> = sqlx::query_as(
                    "SELECT code, message FROM rejections WHERE client_id = $1 AND seq = $2",
                )
                .bind(client_id.to_string())
                .bind(sql::seq_to_db(seq)?)
                .fetch_optional(&mut *self.tx)
                .await?;
                Ok(row.map(|(code, message)| Rejection { seq, code, message }))
            }

            async fn insert_rejection(
                &mut self,
                client_id: Uuid,
                rejection: &Rejection,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO rejections (client_id, seq, code, message) VALUES ($1, $2, $3, $4)",
                )
                .bind(client_id.to_string())
                .bind(sql::seq_to_db(rejection.seq)?)
                .bind(&rejection.code)
                .bind(&rejection.message)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn citizen_team(&mut self, citizen_id: Uuid) -> Result<Option<String>, StoreError> {
                if let Some(team) = self.state.teams.get(&citizen_id) {
                    return Ok(team.clone());
                }
                let team: Option<String> =
                    sqlx::query_scalar("SELECT team FROM citizens WHERE id = $1")
                        .bind(citizen_id.to_string())
                        .fetch_optional(&mut *self.tx)
                        .await?;
                self.state.teams.insert(citizen_id, team.clone());
                Ok(team)
            }

            async fn prefetch(&mut self, wanted: &[(ChangeKind, Uuid)]) -> Result<(), StoreError> {
                let mut by_kind: std::collections::BTreeMap<
                    &'static str,
                    (ChangeKind, std::collections::BTreeSet<Uuid>),
                > = std::collections::BTreeMap::new();
                for (kind, id) in wanted {
                    if sql::table_of(*kind).is_some()
                        && !self.state.known.contains_key(&(kind.as_str(), *id))
                    {
                        by_kind
                            .entry(kind.as_str())
                            .or_insert((*kind, std::collections::BTreeSet::new()))
                            .1
                            .insert(*id);
                    }
                }
                for (kind, ids) in by_kind.into_values() {
                    let Some(table) = sql::table_of(kind) else { continue };
                    let ids: Vec<Uuid> = ids.into_iter().collect();
                    for ids in ids.chunks(sql::ROWS_PER_STATEMENT) {
                        let mut select = sqlx::QueryBuilder::<$db>::new(format!(
                            "SELECT id, payload FROM {table} WHERE id IN ("
                        ));
                        let mut list = select.separated(", ");
                        for id in ids {
                            list.push_bind(id.to_string());
                        }
                        select.push(")");
                        let rows: Vec<(String, String)> =
                            select.build_query_as().fetch_all(&mut *self.tx).await?;
                        for id in ids {
                            self.state.known.insert((kind.as_str(), *id), None);
                        }
                        for (id, payload) in rows {
                            self.state.known.insert(
                                (kind.as_str(), sql::parse_uuid(&id)?),
                                Some(sql::record_of(kind, &payload)?),
                            );
                        }
                    }
                }
                Ok(())
            }

            async fn find(&mut self, kind: ChangeKind, id: Uuid) -> Result<Option<Record>, StoreError> {
                if let Some(known) = self.state.known.get(&(kind.as_str(), id)) {
                    return Ok(known.clone());
                }
                let found = match sql::table_of(kind) {
                    None => {
                        let row: Option<(String, String, String)> = sqlx::query_as(
                            "SELECT name, address, team FROM citizens WHERE id = $1",
                        )
                        .bind(id.to_string())
                        .fetch_optional(&mut *self.tx)
                        .await?;
                        row.map(|(name, address, team)| {
                            Record::Citizen(naervaer_domain::Citizen {
                                id,
                                name,
                                address,
                                team,
                            })
                        })
                    }
                    Some(table) => {
                        let payload: Option<String> = sqlx::query_scalar(&format!(
                            "SELECT payload FROM {table} WHERE id = $1"
                        ))
                        .bind(id.to_string())
                        .fetch_optional(&mut *self.tx)
                        .await?;
                        payload.map(|p| sql::record_of(kind, &p)).transpose()?
                    }
                };
                self.state.known.insert((kind.as_str(), id), found.clone());
                Ok(found)
            }

            async fn insert(&mut self, record: &Record) -> Result<(), StoreError> {
                if let Record::Citizen(c) = record {
                    self.state.teams.insert(c.id, Some(c.team.clone()));
                }
                self.state
                    .known
                    .insert((record.kind().as_str(), record.id()), Some(record.clone()));
                self.state.records.push(record.clone());
                Ok(())
            }

            async fn update_card(&mut self, card: &ClipCard) -> Result<(), StoreError> {
                self.write_records().await?;
                sqlx::query("UPDATE clip_cards SET payload = $1 WHERE id = $2")
                    .bind(sql::to_json(card)?)
                    .bind(card.id.to_string())
                    .execute(&mut *self.tx)
                    .await?;
                self.state.known.insert(
                    (ChangeKind::ClipCard.as_str(), card.id),
                    Some(Record::ClipCard(card.clone())),
                );
                Ok(())
            }

            async fn ledger(&mut self, card_id: Uuid) -> Result<Vec<ClipEntry>, StoreError> {
                self.write_records().await?;
                let rows: Vec<String> =
                    sqlx::query_scalar("SELECT payload FROM clip_entries WHERE card_id = $1")
                        .bind(card_id.to_string())
                        .fetch_all(&mut *self.tx)
                        .await?;
                sql::payloads(&rows)
            }

            async fn insert_flag(&mut self, entry_id: Uuid, code: &str) -> Result<(), StoreError> {
                self.write_records().await?;
                sqlx::query(
                    "INSERT INTO clip_flags (entry_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(entry_id.to_string())
                .bind(code)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn card_flags(&mut self, card_id: Uuid) -> Result<Vec<(Uuid, String)>, StoreError> {
                self.write_records().await?;
                let rows: Vec<(String, String)> = sqlx::query_as(
                    "SELECT clip_flags.entry_id, clip_flags.code FROM clip_flags \
                     JOIN clip_entries ON clip_entries.id = clip_flags.entry_id \
                     WHERE clip_entries.card_id = $1 ORDER BY clip_flags.entry_id, clip_flags.code",
                )
                .bind(card_id.to_string())
                .fetch_all(&mut *self.tx)
                .await?;
                rows.into_iter()
                    .map(|(entry, code)| Ok((sql::parse_uuid(&entry)?, code)))
                    .collect()
            }

            async fn activity_revisions(
                &mut self,
                activity_id: Uuid,
            ) -> Result<Vec<Activity>, StoreError> {
                self.write_records().await?;
                let rows: Vec<String> = sqlx::query_scalar(
                    "SELECT payload FROM activity_revisions WHERE activity_id = $1",
                )
                .bind(activity_id.to_string())
                .fetch_all(&mut *self.tx)
                .await?;
                sql::payloads(&rows)
            }

            async fn bookings_at(
                &mut self,
                activity_id: Uuid,
                occurrence_start: DateTime<Utc>,
            ) -> Result<Vec<Booking>, StoreError> {
                self.write_records().await?;
                let rows: Vec<String> = sqlx::query_scalar(
                    "SELECT payload FROM booking_revisions WHERE activity_id = $1 AND occurrence_start = $2",
                )
                .bind(activity_id.to_string())
                .bind(naervaer_domain::wire_time::format_instant(occurrence_start))
                .fetch_all(&mut *self.tx)
                .await?;
                sql::payloads(&rows)
            }

            async fn append_change(
                &mut self,
                record: &Record,
                audience: &Audience,
                received_at: Option<DateTime<Utc>>,
            ) -> Result<(), StoreError> {
                self.state
                    .changes
                    .push(sql::PendingChange::new(record, audience, received_at)?);
                Ok(())
            }

            async fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
                self.state.audit.push(entry.clone());
                Ok(())
            }

            async fn citizen_changes(
                &mut self,
                citizen_id: Uuid,
            ) -> Result<Vec<FeedRow>, StoreError> {
                self.write_records().await?;
                self.write_changes().await?;
                let rows = sqlx::query(
                    "SELECT seq, citizen_id, team, payload, tag, received_at FROM changes \
                     WHERE seq IN (SELECT MAX(seq) FROM changes WHERE citizen_id = $1 GROUP BY kind, record_id) \
                     ORDER BY seq",
                )
                .bind(citizen_id.to_string())
                .fetch_all(&mut *self.tx)
                .await?;
                rows.iter()
                    .map(|row| sql::sent_row(row)?.parse())
                    .collect()
            }

            async fn move_citizen(
                &mut self,
                citizen_id: Uuid,
                from: &str,
                to: &str,
            ) -> Result<(), StoreError> {
                self.write_records().await?;
                self.write_changes().await?;
                let id = citizen_id.to_string();
                sqlx::query("UPDATE citizens SET team = $1 WHERE id = $2")
                    .bind(to)
                    .bind(&id)
                    .execute(&mut *self.tx)
                    .await?;
                sqlx::query("UPDATE changes SET team = $1 WHERE citizen_id = $2 AND team = $3")
                    .bind(to)
                    .bind(&id)
                    .bind(from)
                    .execute(&mut *self.tx)
                    .await?;
                self.state.teams.insert(citizen_id, Some(to.to_string()));
                self.state
                    .known
                    .remove(&(ChangeKind::Citizen.as_str(), citizen_id));
                Ok(())
            }
        }

        impl $store {
            /// The database's identity: made by the first server that opens
            /// it, read by every later one.
            async fn identity(pool: &sqlx::Pool<$db>) -> Result<Uuid, StoreError> {
                sqlx::query(
                    "INSERT INTO server_identity (singleton, database_id) VALUES (1, $1) ON CONFLICT DO NOTHING",
                )
                .bind(Uuid::new_v4().to_string())
                .execute(pool)
                .await?;
                let id: String =
                    sqlx::query_scalar("SELECT database_id FROM server_identity WHERE singleton = 1")
                        .fetch_one(pool)
                        .await?;
                sql::parse_uuid(&id)
            }
        }

        impl $crate::store::Store for $store {
            type Tx = $tx;

            async fn begin(&self) -> Result<$tx, StoreError> {
                self.begin_tx().await
            }

            fn clip_policy(&self) -> &ClipPolicy {
                &self.clip_policy
            }

            async fn credentials(
                &self,
                username: &str,
            ) -> Result<Option<Credentials>, StoreError> {
                let row = sqlx::query("SELECT * FROM users WHERE username = $1")
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    None => Ok(None),
                    Some(row) => Ok(Some(Credentials {
                        user: sql::user_from_row(&row)?,
                        password_hash: row.try_get("password_hash")?,
                    })),
                }
            }

            async fn create_session(
                &self,
                token_hash: &str,
                user_id: Uuid,
                expires_at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let _write = self.writer().await;
                sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                    .bind(Utc::now().to_rfc3339())
                    .execute(&self.pool)
                    .await?;
                sqlx::query(
                    "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
                )
                .bind(token_hash)
                .bind(user_id.to_string())
                .bind(expires_at.to_rfc3339())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn session_user(
                &self,
                token_hash: &str,
                now: DateTime<Utc>,
            ) -> Result<Option<User>, StoreError> {
                let row = sqlx::query(
                    "SELECT users.*, sessions.expires_at AS session_expires FROM sessions \
                     JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let expires = sql::parse_time(&row.try_get::<String, _>("session_expires")?)?;
                if expires <= now {
                    return Ok(None);
                }
                Ok(Some(sql::user_from_row(&row)?))
            }

            async fn changes_after(
                &self,
                scope: &Scope,
                cursor: u64,
                limit: u32,
                keep: &Keep,
            ) -> Result<Vec<SentRow>, StoreError> {
                <$tx>::feed_rows(&self.pool, scope, cursor, limit, keep).await
            }

            async fn feed_tag(&self, seq: u64) -> Result<Option<u64>, StoreError> {
                let tag: Option<i64> = sqlx::query_scalar("SELECT tag FROM changes WHERE seq = $1")
                    .bind(sql::seq_to_db(seq)?)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(tag.map(sql::seq_from_db))
            }

            fn database_id(&self) -> Uuid {
                self.database_id
            }

            async fn users(&self) -> Result<Vec<User>, StoreError> {
                let rows = sqlx::query("SELECT * FROM users ORDER BY username")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(sql::user_from_row).collect()
            }

            async fn set_user_team(
                &self,
                user_id: Uuid,
                team: Option<&str>,
            ) -> Result<(), StoreError> {
                let _write = self.writer().await;
                sqlx::query("UPDATE users SET team = $1 WHERE id = $2")
                    .bind(team)
                    .bind(user_id.to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn is_empty(&self) -> Result<bool, StoreError> {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n == 0)
            }

            async fn insert_user(&self, credentials: &Credentials) -> Result<(), StoreError> {
                let _write = self.writer().await;
                let u = &credentials.user;
                sqlx::query(
                    "INSERT INTO users (id, username, name, role, team, citizen_id, password_hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(u.id.to_string())
                .bind(&u.username)
                .bind(&u.name)
                .bind(u.role.as_str())
                .bind(&u.team)
                .bind(u.citizen_id.map(|c| c.to_string()))
                .bind(&credentials.password_hash)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn note_count(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM note_revisions")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(sql::seq_from_db(n))
            }

            async fn audit_of(&self, citizen_id: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
                let rows: Vec<(String, String, String, String)> = sqlx::query_as(
                    "SELECT at, user_id, action, detail FROM audit_log WHERE citizen_id = $1 ORDER BY id",
                )
                .bind(citizen_id.to_string())
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(at, user, action, detail)| {
                        Ok(AuditEntry {
                            at: sql::parse_time(&at)?,
                            user_id: sql::parse_uuid(&user)?,
                            citizen_id,
                            action,
                            detail,
                        })
                    })
                    .collect()
            }

            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }
        }
    };
}

pub(super) use sql_store;
