//! The embedded SQLite store: a single file, no set-up. Its statements are
//! the shared SQL stores' ([`super::sql`]); here is how it opens and how
//! writers take turns. The rules are in [`crate::rules`].

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use naervaer_domain::activity::{Activity, Booking};
use naervaer_domain::clips::{ClipCard, ClipEntry, ClipPolicy};
use naervaer_domain::protocol::Record;
use naervaer_domain::{ChangeKind, Rejection, User};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use tokio::sync::{Mutex, MutexGuard, OwnedMutexGuard};
use uuid::Uuid;

use super::sql::{TxState, sql_store};
use super::{
    Audience, AuditEntry, Credentials, FeedRow, Keep, Scope, SentRow, Settled, StoreError,
};

/// SQLite allows one writer at a time; writes queue here instead of failing
/// with "database is locked".
pub struct SqliteStore {
    pool: SqlitePool,
    write_lock: Arc<Mutex<()>>,
    clip_policy: ClipPolicy,
    database_id: Uuid,
}

/// One SQLite transaction, holding the write lock until it ends.
pub struct SqliteTx {
    tx: Transaction<'static, Sqlite>,
    state: TxState,
    _write: OwnedMutexGuard<()>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up
    /// to date. `clip_policy` is the municipality's klippekort policy.
    pub async fn open(path: &Path, clip_policy: ClipPolicy) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before the answer says so, so a
            // power cut never takes back what a device was told is settled.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let database_id = SqliteStore::identity(&pool).await?;
        Ok(SqliteStore {
            pool,
            write_lock: Arc::new(Mutex::new(())),
            clip_policy,
            database_id,
        })
    }

    /// Waits for the turn to write outside a transaction.
    async fn writer(&self) -> MutexGuard<'_, ()> {
        self.write_lock.lock().await
    }

    /// Waits for the turn to write, then opens a transaction.
    async fn begin_tx(&self) -> Result<SqliteTx, StoreError> {
        let write = self.write_lock.clone().lock_owned().await;
        Ok(SqliteTx {
            tx: self.pool.begin().await?,
            state: TxState::default(),
            _write: write,
        })
    }
}

sql_store!(SqliteStore, SqliteTx, Sqlite);
