//! The embedded SQLite store: a single file, no set-up.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use naervaer_domain::exactly_once::plan_batch;
use naervaer_domain::loneliness::LonelinessRegistration;
use naervaer_domain::sync::Record;
use naervaer_domain::{
    Change, Citizen, Gap, Mutation, MutationOp, PlannedVisit, Rejection, Role, SeqDecision, User,
    ValidationError, VisitNote,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqliteConnection, SqlitePool};
use tokio::sync::Mutex;
use uuid::Uuid;

use super::{Credentials, PullPage, PushOutcome, Store, StoreError};

mod activities;
mod clips;

/// SQLite allows one writer at a time; writes queue here instead of failing
/// with "database is locked".
pub struct SqliteStore {
    pool: SqlitePool,
    write_lock: Mutex<()>,
    /// The configured klippekort policy (cards under another shipped policy
    /// keep theirs).
    clip_policy: naervaer_domain::klippekort::ClipPolicy,
}

/// Why one mutation was not applied: its own fault, or the database's.
enum ApplyError {
    Invalid(ValidationError),
    Store(StoreError),
}

impl ApplyError {
    /// For data the server writes itself (demo data): a broken rule is a bug
    /// in that data, reported as corrupt, not a client's mistake.
    fn into_store(self) -> StoreError {
        match self {
            ApplyError::Store(e) => e,
            ApplyError::Invalid(e) => StoreError::Corrupt(e.to_string()),
        }
    }
}

impl From<sqlx::Error> for ApplyError {
    fn from(e: sqlx::Error) -> Self {
        ApplyError::Store(StoreError::Database(e))
    }
}

impl From<ValidationError> for ApplyError {
    fn from(e: ValidationError) -> Self {
        ApplyError::Invalid(e)
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A stored payload read back; a payload that does not parse is corrupt data.
fn from_json<T: serde::de::DeserializeOwned>(payload: &str) -> Result<T, StoreError> {
    serde_json::from_str(payload).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("bad uuid '{s}': {e}")))
}

fn seq_to_db(seq: u64) -> Result<i64, StoreError> {
    i64::try_from(seq).map_err(|_| StoreError::Corrupt(format!("seq {seq} out of range")))
}

fn seq_from_db(seq: i64) -> u64 {
    u64::try_from(seq).unwrap_or(0)
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up
    /// to date. `clip_policy` is the municipality's klippekort policy.
    pub async fn open(
        path: &Path,
        clip_policy: naervaer_domain::klippekort::ClipPolicy,
    ) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(SqliteStore {
            pool,
            write_lock: Mutex::new(()),
            clip_policy,
        })
    }

    fn user_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<User, StoreError> {
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

    /// The team of a citizen that exists.
    async fn team_of(conn: &mut SqliteConnection, citizen: &str) -> Result<String, StoreError> {
        Ok(sqlx::query_scalar("SELECT team FROM citizens WHERE id = ?")
            .bind(citizen)
            .fetch_one(&mut *conn)
            .await?)
    }

    /// The team of a citizen this user may write for, or why not.
    async fn writable_citizen_team(
        conn: &mut SqliteConnection,
        user: &User,
        citizen_id: Uuid,
    ) -> Result<String, ApplyError> {
        let team: Option<String> = sqlx::query_scalar("SELECT team FROM citizens WHERE id = ?")
            .bind(citizen_id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        let team = team.ok_or(ValidationError::UnknownCitizen)?;
        let allowed = match user.role {
            Role::Coordinator => true,
            Role::Worker => user.team.as_deref() == Some(team.as_str()),
            Role::Citizen => false,
        };
        if allowed {
            Ok(team)
        } else {
            Err(ValidationError::UnknownCitizen.into())
        }
    }

    async fn append_change(
        conn: &mut SqliteConnection,
        record: &Record,
        citizen_id: Uuid,
        team: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO changes (kind, record_id, citizen_id, team, payload) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(record.kind().as_str())
        .bind(record.id().to_string())
        .bind(citizen_id.to_string())
        .bind(team)
        .bind(to_json(record)?)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    async fn audit(
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
        user: &User,
        citizen_id: &str,
        action: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, citizen_id, action, detail) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(now.to_rfc3339())
        .bind(user.id.to_string())
        .bind(citizen_id)
        .bind(action)
        .bind(detail)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Whether a record with this id is already stored in `table`: `Ok(true)`
    /// when it is the same record (sent again from another login), an error
    /// when the id is used by a different one.
    async fn already_stored(
        conn: &mut SqliteConnection,
        table: &'static str,
        id: Uuid,
        payload: &str,
    ) -> Result<bool, ApplyError> {
        let existing: Option<String> =
            sqlx::query_scalar(&format!("SELECT payload FROM {table} WHERE id = ?"))
                .bind(id.to_string())
                .fetch_optional(&mut *conn)
                .await?;
        match existing {
            None => Ok(false),
            Some(existing) if existing == payload => Ok(true),
            Some(_) => Err(ValidationError::DuplicateId.into()),
        }
    }

    /// Publishes a stored record to the change feed and logs the write.
    async fn publish_write(
        conn: &mut SqliteConnection,
        user: &User,
        record: Record,
        citizen: Uuid,
        team: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ApplyError> {
        let detail = match &record {
            Record::Loneliness(_) => "loneliness registration",
            Record::ClipEntry(_) => "clip card entry",
            Record::Booking(_) => "activity booking",
            _ => "visit note revision",
        };
        Self::append_change(conn, &record, citizen, team)
            .await
            .map_err(ApplyError::Store)?;
        Self::audit(conn, now, user, &citizen.to_string(), "write", detail)
            .await
            .map_err(ApplyError::Store)?;
        Ok(())
    }

    async fn save_registration(
        conn: &mut SqliteConnection,
        user: &User,
        mut registration: LonelinessRegistration,
        now: DateTime<Utc>,
    ) -> Result<(), ApplyError> {
        let team = Self::writable_citizen_team(conn, user, registration.citizen_id).await?;
        registration.author_id = Some(user.id);
        registration.author_name = user.name.clone();
        let payload = to_json(&registration).map_err(ApplyError::Store)?;
        if Self::already_stored(conn, "loneliness_registrations", registration.id, &payload).await?
        {
            return Ok(());
        }
        if let Some(corrected) = registration.corrects {
            let citizen: Option<String> =
                sqlx::query_scalar("SELECT citizen_id FROM loneliness_registrations WHERE id = ?")
                    .bind(corrected.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
            if citizen != Some(registration.citizen_id.to_string()) {
                return Err(ValidationError::UnknownRegistration.into());
            }
        }
        sqlx::query(
            "INSERT INTO loneliness_registrations (id, corrects, citizen_id, observed_on, payload) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(registration.id.to_string())
        .bind(registration.corrects.map(|c| c.to_string()))
        .bind(registration.citizen_id.to_string())
        .bind(registration.observed_on.to_string())
        .bind(&payload)
        .execute(&mut *conn)
        .await?;
        let citizen = registration.citizen_id;
        Self::publish_write(
            conn,
            user,
            Record::Loneliness(registration),
            citizen,
            &team,
            now,
        )
        .await
    }

    async fn save_note(
        conn: &mut SqliteConnection,
        user: &User,
        mut note: VisitNote,
        now: DateTime<Utc>,
    ) -> Result<(), ApplyError> {
        let team = Self::writable_citizen_team(conn, user, note.citizen_id).await?;
        note.author_id = Some(user.id);
        note.author_name = user.name.clone();
        let payload = to_json(&note).map_err(ApplyError::Store)?;

        if Self::already_stored(conn, "note_revisions", note.id, &payload).await? {
            return Ok(());
        }
        if let Some(replaced) = note.replaces {
            let found: Option<(String, String)> =
                sqlx::query_as("SELECT note_id, citizen_id FROM note_revisions WHERE id = ?")
                    .bind(replaced.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
            let fits = found.is_some_and(|(note_id, citizen_id)| {
                note_id == note.note_id.to_string() && citizen_id == note.citizen_id.to_string()
            });
            if !fits {
                return Err(ValidationError::UnknownRevision.into());
            }
        }
        sqlx::query(
            "INSERT INTO note_revisions (id, note_id, replaces, citizen_id, payload) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(note.id.to_string())
        .bind(note.note_id.to_string())
        .bind(note.replaces.map(|r| r.to_string()))
        .bind(note.citizen_id.to_string())
        .bind(&payload)
        .execute(&mut *conn)
        .await?;
        let citizen = note.citizen_id;
        Self::append_change(conn, &Record::Note(note), citizen, &team)
            .await
            .map_err(ApplyError::Store)?;
        Self::audit(
            conn,
            now,
            user,
            &citizen.to_string(),
            "write",
            "visit note revision",
        )
        .await
        .map_err(ApplyError::Store)?;
        Ok(())
    }
}

impl Store for SqliteStore {
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let row = sqlx::query("SELECT * FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some(Credentials {
                user: Self::user_from_row(&row)?,
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
        let _write = self.write_lock.lock().await;
        sqlx::query("DELETE FROM sessions WHERE expires_at < ?")
            .bind(Utc::now().to_rfc3339())
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)")
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
             JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires: String = row.try_get("session_expires")?;
        let expires = DateTime::parse_from_rfc3339(&expires)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if expires <= now {
            return Ok(None);
        }
        Ok(Some(Self::user_from_row(&row)?))
    }

    async fn push(
        &self,
        user: &User,
        client_id: Uuid,
        mutations: &[Mutation],
        now: DateTime<Utc>,
    ) -> Result<PushOutcome, StoreError> {
        let _write = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        let client = client_id.to_string();
        let owner: Option<(String, i64)> =
            sqlx::query_as("SELECT user_id, last_seq FROM clients WHERE client_id = ?")
                .bind(&client)
                .fetch_optional(&mut *tx)
                .await?;
        let mut last = match owner {
            Some((owner, _)) if owner != user.id.to_string() => {
                return Err(StoreError::ClientOfOtherUser);
            }
            Some((_, last)) => seq_from_db(last),
            None => {
                sqlx::query("INSERT INTO clients (client_id, user_id, last_seq) VALUES (?, ?, 0)")
                    .bind(&client)
                    .bind(user.id.to_string())
                    .execute(&mut *tx)
                    .await?;
                0
            }
        };

        let mut ordered: Vec<&Mutation> = mutations.iter().collect();
        ordered.sort_by_key(|m| m.seq);
        let seqs: Vec<u64> = ordered.iter().map(|m| m.seq).collect();
        let mut outcome = PushOutcome::default();
        for (mutation, decision) in ordered.iter().zip(plan_batch(last, &seqs)) {
            match decision {
                SeqDecision::Apply => {
                    let applied = match mutation.decode() {
                        Ok(MutationOp::NoteSave(note)) => {
                            Self::save_note(&mut tx, user, note, now).await
                        }
                        Ok(MutationOp::LonelinessRegister(registration)) => {
                            Self::save_registration(&mut tx, user, registration, now).await
                        }
                        Ok(MutationOp::ClipRecord(entry)) => {
                            self.save_clip_entry(&mut tx, user, entry, now).await
                        }
                        Ok(MutationOp::ActivitySave(activity)) => {
                            Self::save_activity(&mut tx, user, activity).await
                        }
                        Ok(MutationOp::BookingSave(booking)) => {
                            Self::save_booking(&mut tx, user, booking, now).await
                        }
                        Err(e) => Err(ApplyError::Invalid(e)),
                    };
                    match applied {
                        Ok(()) => {}
                        Err(ApplyError::Invalid(e)) => {
                            let rejection = Rejection::new(mutation.seq, &e);
                            sqlx::query(
                                "INSERT INTO rejections (client_id, seq, code, message) VALUES (?, ?, ?, ?)",
                            )
                            .bind(&client)
                            .bind(seq_to_db(mutation.seq)?)
                            .bind(&rejection.code)
                            .bind(&rejection.message)
                            .execute(&mut *tx)
                            .await?;
                            outcome.rejections.push(rejection);
                        }
                        Err(ApplyError::Store(e)) => return Err(e),
                    }
                    last = mutation.seq;
                }
                SeqDecision::Repeat => {
                    let earlier: Option<(String, String)> = sqlx::query_as(
                        "SELECT code, message FROM rejections WHERE client_id = ? AND seq = ?",
                    )
                    .bind(&client)
                    .bind(seq_to_db(mutation.seq)?)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some((code, message)) = earlier
                        && !outcome.rejections.iter().any(|r| r.seq == mutation.seq)
                    {
                        outcome.rejections.push(Rejection {
                            seq: mutation.seq,
                            code,
                            message,
                        });
                    }
                }
                SeqDecision::Gap { expected } => {
                    outcome.gap = Some(Gap {
                        expected,
                        got: mutation.seq,
                    });
                }
            }
        }
        sqlx::query("UPDATE clients SET last_seq = ? WHERE client_id = ?")
            .bind(seq_to_db(last)?)
            .bind(&client)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        outcome.acknowledged_seq = last;
        Ok(outcome)
    }

    async fn pull(
        &self,
        user: &User,
        cursor: u64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<PullPage, StoreError> {
        let cursor_db = seq_to_db(cursor)?;
        let fetch = i64::from(limit) + 1;
        let rows = match user.role {
            Role::Coordinator => {
                sqlx::query(
                    "SELECT seq, citizen_id, payload FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
                )
                .bind(cursor_db)
                .bind(fetch)
                .fetch_all(&self.pool)
                .await?
            }
            Role::Worker => {
                sqlx::query(
                    "SELECT seq, citizen_id, payload FROM changes WHERE seq > ? AND (team = ? OR team = '') ORDER BY seq LIMIT ?",
                )
                .bind(cursor_db)
                .bind(user.team.as_deref().unwrap_or(""))
                .bind(fetch)
                .fetch_all(&self.pool)
                .await?
            }
            Role::Citizen => {
                sqlx::query(
                    "SELECT seq, citizen_id, payload FROM changes WHERE seq > ? AND (citizen_id = ? OR (citizen_id = '' AND team = '')) ORDER BY seq LIMIT ?",
                )
                .bind(cursor_db)
                .bind(user.citizen_id.map(|c| c.to_string()).unwrap_or_default())
                .bind(fetch)
                .fetch_all(&self.pool)
                .await?
            }
        };
        let more = rows.len() > limit as usize;
        let mut page = PullPage {
            changes: Vec::with_capacity(rows.len().min(limit as usize)),
            next_cursor: cursor,
            more,
        };
        let mut citizens: Vec<String> = Vec::new();
        for row in rows.iter().take(limit as usize) {
            let seq = seq_from_db(row.try_get("seq")?);
            let payload: String = row.try_get("payload")?;
            let record: Record = from_json(&payload)?;
            let citizen: String = row.try_get("citizen_id")?;
            // The catalogue belongs to no citizen: nothing to log.
            if !citizen.is_empty() && !citizens.contains(&citizen) {
                citizens.push(citizen);
            }
            page.changes.push(Change { seq, record });
            page.next_cursor = seq;
        }
        if !citizens.is_empty() {
            let _write = self.write_lock.lock().await;
            let mut tx = self.pool.begin().await?;
            for citizen in &citizens {
                Self::audit(&mut tx, now, user, citizen, "read", "sync to device").await?;
            }
            tx.commit().await?;
        }
        Ok(page)
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    async fn insert_user(&self, credentials: &Credentials) -> Result<(), StoreError> {
        let _write = self.write_lock.lock().await;
        let u = &credentials.user;
        sqlx::query(
            "INSERT INTO users (id, username, name, role, team, citizen_id, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
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

    async fn insert_citizen(&self, citizen: &Citizen) -> Result<(), StoreError> {
        let _write = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO citizens (id, name, address, team) VALUES (?, ?, ?, ?)")
            .bind(citizen.id.to_string())
            .bind(&citizen.name)
            .bind(&citizen.address)
            .bind(&citizen.team)
            .execute(&mut *tx)
            .await?;
        Self::append_change(
            &mut tx,
            &Record::Citizen(citizen.clone()),
            citizen.id,
            &citizen.team,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_visit(&self, visit: &PlannedVisit) -> Result<(), StoreError> {
        let _write = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        let team = Self::team_of(&mut tx, &visit.citizen_id.to_string()).await?;
        sqlx::query("INSERT INTO visits (id, citizen_id, starts_at, payload) VALUES (?, ?, ?, ?)")
            .bind(visit.id.to_string())
            .bind(visit.citizen_id.to_string())
            .bind(visit.starts_at.to_rfc3339())
            .bind(to_json(visit)?)
            .execute(&mut *tx)
            .await?;
        Self::append_change(
            &mut tx,
            &Record::Visit(visit.clone()),
            visit.citizen_id,
            &team,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_registration(
        &self,
        registration: &LonelinessRegistration,
    ) -> Result<(), StoreError> {
        let _write = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        let team = Self::team_of(&mut tx, &registration.citizen_id.to_string()).await?;
        sqlx::query(
            "INSERT INTO loneliness_registrations (id, corrects, citizen_id, observed_on, payload) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(registration.id.to_string())
        .bind(registration.corrects.map(|c| c.to_string()))
        .bind(registration.citizen_id.to_string())
        .bind(registration.observed_on.to_string())
        .bind(to_json(registration)?)
        .execute(&mut *tx)
        .await?;
        let record = Record::Loneliness(registration.clone());
        Self::append_change(&mut tx, &record, registration.citizen_id, &team).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_card(
        &self,
        card: &naervaer_domain::klippekort::ClipCard,
    ) -> Result<(), StoreError> {
        let _write = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        self.store_card(&mut tx, card).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_clip_entry(
        &self,
        author: &User,
        entry: naervaer_domain::klippekort::ClipEntry,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut entry = entry;
        if entry.author_name.is_empty() {
            entry.author_id = Some(author.id);
            entry.author_name = author.name.clone();
        }
        let _write = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        let team = Self::team_of(&mut tx, &entry.citizen_id.to_string()).await?;
        self.store_clip_entry(&mut tx, author, entry, &team, now, true)
            .await
            .map_err(ApplyError::into_store)?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_activity(
        &self,
        activity: &naervaer_domain::activity::Activity,
    ) -> Result<(), StoreError> {
        let _write = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        Self::store_activity(&mut tx, activity)
            .await
            .map_err(ApplyError::into_store)?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_booking(
        &self,
        booking: &naervaer_domain::activity::Booking,
    ) -> Result<(), StoreError> {
        let _write = self.write_lock.lock().await;
        let mut tx = self.pool.begin().await?;
        let team = Self::team_of(&mut tx, &booking.citizen_id.to_string()).await?;
        Self::insert_booking_row(&mut tx, booking, &to_json(booking)?).await?;
        Self::append_change(
            &mut tx,
            &Record::Booking(booking.clone()),
            booking.citizen_id,
            &team,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn clip_ledger(
        &self,
        card_id: Uuid,
    ) -> Result<Vec<naervaer_domain::klippekort::ClipEntry>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Self::ledger(&mut conn, &card_id.to_string()).await
    }

    async fn note_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM note_revisions")
            .fetch_one(&self.pool)
            .await?;
        Ok(seq_from_db(n))
    }
}
