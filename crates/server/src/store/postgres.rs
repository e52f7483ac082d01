//! The PostgreSQL store, for a municipality running several server processes
//! on one database. Its statements are the shared SQL stores'
//! ([`super::sql`]); here is how it connects and how writers take turns
//! across processes. The rules are in [`crate::rules`].

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use naervaer_domain::activity::{Activity, Booking};
use naervaer_domain::clips::{ClipCard, ClipEntry, ClipPolicy};
use naervaer_domain::protocol::Record;
use naervaer_domain::{ChangeKind, Rejection, User};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sqlx::{Connection, PgPool, Postgres, Row, Transaction};
use uuid::Uuid;

use super::sql::{TxState, sql_store};
use super::{
    Audience, AuditEntry, Credentials, FeedRow, Keep, Scope, SentRow, Settled, StoreError,
};

/// The advisory lock every writing transaction holds until it ends
/// ("nærvær" in ASCII, as a number: any fixed key would do).
const WRITER_LOCK: i64 = 0x6e_61_65_72_76_61_65_72;

/// Connections each server process keeps open.
const POOL_SIZE: u32 = 10;

/// A pool of connections to one PostgreSQL database.
pub struct PgStore {
    pool: PgPool,
    clip_policy: ClipPolicy,
    database_id: Uuid,
}

/// The longest a statement may run.
pub const STATEMENT_TIMEOUT: &str = "20s";
/// The longest a statement may wait for a lock.
pub const LOCK_TIMEOUT: &str = "10s";
/// The longest a transaction may sit idle (a server that stalled mid-push).
pub const IDLE_IN_TRANSACTION_TIMEOUT: &str = "30s";

/// One PostgreSQL transaction, holding the writers' advisory lock.
pub struct PgTx {
    tx: Transaction<'static, Postgres>,
    state: TxState,
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`)
    /// and brings the schema up to date (several processes starting at once
    /// take turns: sqlx holds a lock while it migrates).
    pub async fn connect(url: &str, clip_policy: ClipPolicy) -> Result<PgStore, StoreError> {
        // Migrations run on their own connection, without the timeouts
        // below: a long one must finish, and a second server waits for it.
        let options = PgConnectOptions::from_str(url)?;
        let mut migrating = PgConnection::connect_with(&options).await?;
        sqlx::migrate!("./migrations/postgres")
            .run(&mut migrating)
            .await?;
        migrating.close().await?;
        // One slow request must not stall every device: a statement ends
        // after STATEMENT_TIMEOUT, a wait for a lock (the writers' turn
        // among them) after LOCK_TIMEOUT, and a transaction left idle is
        // ended. Each is answered 503 "database_busy" and can be retried.
        let options = options.options([
            ("statement_timeout", STATEMENT_TIMEOUT),
            ("lock_timeout", LOCK_TIMEOUT),
            (
                "idle_in_transaction_session_timeout",
                IDLE_IN_TRANSACTION_TIMEOUT,
            ),
        ]);
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let database_id = PgStore::identity(&pool).await?;
        Ok(PgStore {
            pool,
            clip_policy,
            database_id,
        })
    }

    /// Writes outside a transaction need no turn here: each is one statement
    /// that publishes nothing to the feed.
    async fn writer(&self) {}

    /// Opens a transaction and waits for the writers' lock. Writers of every
    /// process take turns, as on SQLite: the feed's numbers follow commit
    /// order, and each rule reads what the writer before it committed
    /// (capacity, a clip card's balance, a client's last seq).
    async fn begin_tx(&self) -> Result<PgTx, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITER_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(PgTx {
            tx,
            state: TxState::default(),
        })
    }
}

sql_store!(PgStore, PgTx, Postgres);
