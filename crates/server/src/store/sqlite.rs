//! The embedded SQLite store: a single file, no set-up. It persists and
//! queries; the rules are in [`crate::rules`].

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use naervaer_domain::activity::{Activity, Booking};
use naervaer_domain::klippekort::{ClipCard, ClipEntry, ClipPolicy};
use naervaer_domain::sync::Record;
use naervaer_domain::{ChangeKind, Rejection, Role, User};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};
use uuid::Uuid;

use super::{Audience, AuditEntry, Credentials, FeedRow, Scope, Store, StoreError, Tx};

/// SQLite allows one writer at a time; writes queue here instead of failing
/// with "database is locked".
pub struct SqliteStore {
    pool: SqlitePool,
    write_lock: Arc<Mutex<()>>,
    clip_policy: ClipPolicy,
}

/// One SQLite transaction, holding the write lock until it ends.
pub struct SqliteTx {
    tx: Transaction<'static, Sqlite>,
    _write: OwnedMutexGuard<()>,
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

fn parse_time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The table a record kind is kept in (with its payload column).
fn table_of(kind: ChangeKind) -> Option<&'static str> {
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

fn user_from_row(row: &SqliteRow) -> Result<User, StoreError> {
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

fn payloads<T: serde::de::DeserializeOwned>(rows: &[String]) -> Result<Vec<T>, StoreError> {
    rows.iter().map(|p| from_json(p)).collect()
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up
    /// to date. `clip_policy` is the municipality's klippekort policy.
    pub async fn open(path: &Path, clip_policy: ClipPolicy) -> Result<SqliteStore, StoreError> {
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
            write_lock: Arc::new(Mutex::new(())),
            clip_policy,
        })
    }
}

impl Tx for SqliteTx {
    async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }

    async fn client(&mut self, client_id: Uuid) -> Result<Option<(Uuid, u64)>, StoreError> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT user_id, last_seq FROM clients WHERE client_id = ?")
                .bind(client_id.to_string())
                .fetch_optional(&mut *self.tx)
                .await?;
        row.map(|(user, last)| Ok((parse_uuid(&user)?, seq_from_db(last))))
            .transpose()
    }

    async fn insert_client(&mut self, client_id: Uuid, user_id: Uuid) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO clients (client_id, user_id, last_seq) VALUES (?, ?, 0)")
            .bind(client_id.to_string())
            .bind(user_id.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn set_last_seq(&mut self, client_id: Uuid, seq: u64) -> Result<(), StoreError> {
        sqlx::query("UPDATE clients SET last_seq = ? WHERE client_id = ?")
            .bind(seq_to_db(seq)?)
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
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT code, message FROM rejections WHERE client_id = ? AND seq = ?")
                .bind(client_id.to_string())
                .bind(seq_to_db(seq)?)
                .fetch_optional(&mut *self.tx)
                .await?;
        Ok(row.map(|(code, message)| Rejection { seq, code, message }))
    }

    async fn insert_rejection(
        &mut self,
        client_id: Uuid,
        rejection: &Rejection,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO rejections (client_id, seq, code, message) VALUES (?, ?, ?, ?)")
            .bind(client_id.to_string())
            .bind(seq_to_db(rejection.seq)?)
            .bind(&rejection.code)
            .bind(&rejection.message)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn citizen_team(&mut self, citizen_id: Uuid) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT team FROM citizens WHERE id = ?")
            .bind(citizen_id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn find(&mut self, kind: ChangeKind, id: Uuid) -> Result<Option<Record>, StoreError> {
        let Some(table) = table_of(kind) else {
            let row: Option<(String, String, String)> =
                sqlx::query_as("SELECT name, address, team FROM citizens WHERE id = ?")
                    .bind(id.to_string())
                    .fetch_optional(&mut *self.tx)
                    .await?;
            return Ok(row.map(|(name, address, team)| {
                Record::Citizen(naervaer_domain::Citizen {
                    id,
                    name,
                    address,
                    team,
                })
            }));
        };
        let payload: Option<String> =
            sqlx::query_scalar(&format!("SELECT payload FROM {table} WHERE id = ?"))
                .bind(id.to_string())
                .fetch_optional(&mut *self.tx)
                .await?;
        let Some(payload) = payload else {
            return Ok(None);
        };
        Ok(Some(match kind {
            ChangeKind::Note => Record::Note(from_json(&payload)?),
            ChangeKind::Loneliness => Record::Loneliness(from_json(&payload)?),
            ChangeKind::ClipCard => Record::ClipCard(from_json(&payload)?),
            ChangeKind::ClipEntry => Record::ClipEntry(from_json(&payload)?),
            ChangeKind::Activity => Record::Activity(from_json(&payload)?),
            ChangeKind::Booking => Record::Booking(from_json(&payload)?),
            ChangeKind::Visit | ChangeKind::Citizen => Record::Visit(from_json(&payload)?),
        }))
    }

    async fn insert(&mut self, record: &Record) -> Result<(), StoreError> {
        let conn = &mut *self.tx;
        match record {
            Record::Citizen(c) => {
                sqlx::query("INSERT INTO citizens (id, name, address, team) VALUES (?, ?, ?, ?)")
                    .bind(c.id.to_string())
                    .bind(&c.name)
                    .bind(&c.address)
                    .bind(&c.team)
                    .execute(conn)
                    .await?;
            }
            Record::Visit(v) => {
                sqlx::query(
                    "INSERT INTO visits (id, citizen_id, starts_at, payload) VALUES (?, ?, ?, ?)",
                )
                .bind(v.id.to_string())
                .bind(v.citizen_id.to_string())
                .bind(v.starts_at.to_rfc3339())
                .bind(to_json(v)?)
                .execute(conn)
                .await?;
            }
            Record::Note(n) => {
                sqlx::query(
                    "INSERT INTO note_revisions (id, note_id, replaces, citizen_id, payload) VALUES (?, ?, ?, ?, ?)",
                )
                .bind(n.id.to_string())
                .bind(n.note_id.to_string())
                // The column lists what the revision replaces (comma-separated ids); the
                // payload is the record.
                .bind(
                    (!n.replaces.is_empty()).then(|| {
                        n.replaces
                            .iter()
                            .map(Uuid::to_string)
                            .collect::<Vec<_>>()
                            .join(",")
                    }),
                )
                .bind(n.citizen_id.to_string())
                .bind(to_json(n)?)
                .execute(conn)
                .await?;
            }
            Record::Loneliness(r) => {
                sqlx::query(
                    "INSERT INTO loneliness_registrations (id, corrects, citizen_id, observed_on, payload) VALUES (?, ?, ?, ?, ?)",
                )
                .bind(r.id.to_string())
                .bind(r.corrects.map(|c| c.to_string()))
                .bind(r.citizen_id.to_string())
                .bind(r.observed_on.to_string())
                .bind(to_json(r)?)
                .execute(conn)
                .await?;
            }
            Record::ClipCard(c) => {
                sqlx::query("INSERT INTO clip_cards (id, citizen_id, payload) VALUES (?, ?, ?)")
                    .bind(c.id.to_string())
                    .bind(c.citizen_id.to_string())
                    .bind(to_json(c)?)
                    .execute(conn)
                    .await?;
            }
            Record::ClipEntry(e) => {
                sqlx::query(
                    "INSERT INTO clip_entries (id, card_id, kind, target, payload) VALUES (?, ?, ?, ?, ?)",
                )
                .bind(e.id.to_string())
                .bind(e.card_id.to_string())
                .bind(e.kind.as_str())
                .bind(e.target.map(|t| t.to_string()))
                .bind(to_json(e)?)
                .execute(conn)
                .await?;
            }
            Record::Activity(a) => {
                sqlx::query(
                    "INSERT INTO activity_revisions (id, activity_id, replaces, payload) VALUES (?, ?, ?, ?)",
                )
                .bind(a.id.to_string())
                .bind(a.activity_id.to_string())
                .bind(a.replaces.map(|r| r.to_string()))
                .bind(to_json(a)?)
                .execute(conn)
                .await?;
            }
            Record::Booking(b) => {
                sqlx::query(
                    "INSERT INTO booking_revisions (id, booking_id, replaces, citizen_id, activity_id, occurrence_start, payload) \
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(b.id.to_string())
                .bind(b.booking_id.to_string())
                .bind(b.replaces.map(|r| r.to_string()))
                .bind(b.citizen_id.to_string())
                .bind(b.activity_id.to_string())
                .bind(naervaer_domain::wire_time::format_instant(b.occurrence_start))
                .bind(to_json(b)?)
                .execute(conn)
                .await?;
            }
        }
        Ok(())
    }

    async fn update_card(&mut self, card: &ClipCard) -> Result<(), StoreError> {
        sqlx::query("UPDATE clip_cards SET payload = ? WHERE id = ?")
            .bind(to_json(card)?)
            .bind(card.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn ledger(&mut self, card_id: Uuid) -> Result<Vec<ClipEntry>, StoreError> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT payload FROM clip_entries WHERE card_id = ?")
                .bind(card_id.to_string())
                .fetch_all(&mut *self.tx)
                .await?;
        payloads(&rows)
    }

    async fn insert_flag(&mut self, entry_id: Uuid, code: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT OR IGNORE INTO clip_flags (entry_id, code) VALUES (?, ?)")
            .bind(entry_id.to_string())
            .bind(code)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn card_flags(&mut self, card_id: Uuid) -> Result<Vec<(Uuid, String)>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT clip_flags.entry_id, clip_flags.code FROM clip_flags \
             JOIN clip_entries ON clip_entries.id = clip_flags.entry_id \
             WHERE clip_entries.card_id = ? ORDER BY clip_flags.entry_id, clip_flags.code",
        )
        .bind(card_id.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.into_iter()
            .map(|(entry, code)| Ok((parse_uuid(&entry)?, code)))
            .collect()
    }

    async fn activity_revisions(&mut self, activity_id: Uuid) -> Result<Vec<Activity>, StoreError> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT payload FROM activity_revisions WHERE activity_id = ?")
                .bind(activity_id.to_string())
                .fetch_all(&mut *self.tx)
                .await?;
        payloads(&rows)
    }

    async fn bookings_at(
        &mut self,
        activity_id: Uuid,
        occurrence_start: DateTime<Utc>,
    ) -> Result<Vec<Booking>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT payload FROM booking_revisions WHERE activity_id = ? AND occurrence_start = ?",
        )
        .bind(activity_id.to_string())
        .bind(naervaer_domain::wire_time::format_instant(occurrence_start))
        .fetch_all(&mut *self.tx)
        .await?;
        payloads(&rows)
    }

    async fn append_change(
        &mut self,
        record: &Record,
        audience: &Audience,
    ) -> Result<(), StoreError> {
        let (citizen, team) = match audience {
            Audience::Citizen { citizen_id, team } => (citizen_id.to_string(), team.as_str()),
            Audience::Everyone => (String::new(), ""),
        };
        sqlx::query(
            "INSERT INTO changes (kind, record_id, citizen_id, team, payload) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(record.kind().as_str())
        .bind(record.id().to_string())
        .bind(citizen)
        .bind(team)
        .bind(to_json(record)?)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, citizen_id, action, detail) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(entry.at.to_rfc3339())
        .bind(entry.user_id.to_string())
        .bind(entry.citizen_id.to_string())
        .bind(&entry.action)
        .bind(&entry.detail)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store for SqliteStore {
    type Tx = SqliteTx;

    async fn begin(&self) -> Result<SqliteTx, StoreError> {
        let write = self.write_lock.clone().lock_owned().await;
        Ok(SqliteTx {
            tx: self.pool.begin().await?,
            _write: write,
        })
    }

    fn clip_policy(&self) -> &ClipPolicy {
        &self.clip_policy
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let row = sqlx::query("SELECT * FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some(Credentials {
                user: user_from_row(&row)?,
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
        let expires = parse_time(&row.try_get::<String, _>("session_expires")?)?;
        if expires <= now {
            return Ok(None);
        }
        Ok(Some(user_from_row(&row)?))
    }

    async fn changes_after(
        &self,
        scope: &Scope,
        cursor: u64,
        limit: u32,
    ) -> Result<Vec<FeedRow>, StoreError> {
        let cursor = seq_to_db(cursor)?;
        let limit = i64::from(limit);
        let rows = match scope {
            Scope::All => {
                sqlx::query(
                    "SELECT seq, citizen_id, team, payload FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
                )
                .bind(cursor)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            Scope::Team(team) => {
                sqlx::query(
                    "SELECT seq, citizen_id, team, payload FROM changes WHERE seq > ? AND (team = ? OR (citizen_id = '' AND team = '')) ORDER BY seq LIMIT ?",
                )
                .bind(cursor)
                .bind(team)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            Scope::Citizen(citizen) => {
                sqlx::query(
                    "SELECT seq, citizen_id, team, payload FROM changes WHERE seq > ? AND (citizen_id = ? OR (citizen_id = '' AND team = '')) ORDER BY seq LIMIT ?",
                )
                .bind(cursor)
                .bind(citizen.to_string())
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|row| {
                let citizen: String = row.try_get("citizen_id")?;
                let audience = if citizen.is_empty() {
                    Audience::Everyone
                } else {
                    Audience::Citizen {
                        citizen_id: parse_uuid(&citizen)?,
                        team: row.try_get("team")?,
                    }
                };
                Ok(FeedRow {
                    seq: seq_from_db(row.try_get("seq")?),
                    audience,
                    record: from_json(&row.try_get::<String, _>("payload")?)?,
                })
            })
            .collect()
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

    async fn note_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM note_revisions")
            .fetch_one(&self.pool)
            .await?;
        Ok(seq_from_db(n))
    }

    async fn audit_of(&self, citizen_id: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT at, user_id, action, detail FROM audit_log WHERE citizen_id = ? ORDER BY id",
        )
        .bind(citizen_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(at, user, action, detail)| {
                Ok(AuditEntry {
                    at: parse_time(&at)?,
                    user_id: parse_uuid(&user)?,
                    citizen_id,
                    action,
                    detail,
                })
            })
            .collect()
    }
}
