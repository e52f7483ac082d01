//! Storage behind a trait, so a PostgreSQL store can follow the SQLite one.
//! The store owns transactions; the protocol's rules come from the domain crate.

mod sqlite;

use std::future::Future;

use chrono::{DateTime, Utc};
use naervaer_domain::{Change, Citizen, Gap, Mutation, PlannedVisit, Rejection, User};
use thiserror::Error;
use uuid::Uuid;

pub use sqlite::SqliteStore;

/// Why a store operation failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The client id was first used by another account.
    #[error("this client id belongs to another user")]
    ClientOfOtherUser,
    /// The database failed; details are logged, not shown to clients.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The database could not be prepared (migrations).
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// An account together with its password hash, for logging in.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub user: User,
    /// Its argon2 PHC hash string.
    pub password_hash: String,
}

/// What happened to a pushed batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushOutcome {
    /// Every seq up to this is settled for the client.
    pub acknowledged_seq: u64,
    /// Settled mutations in this batch that were rejected.
    pub rejections: Vec<Rejection>,
    /// Where the batch stopped, if a seq was missing.
    pub gap: Option<Gap>,
}

/// One page of changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PullPage {
    /// Changes, oldest first.
    pub changes: Vec<Change>,
    /// The cursor after this page.
    pub next_cursor: u64,
    /// Whether more changes wait.
    pub more: bool,
}

/// Everything the server needs to keep.
pub trait Store: Send + Sync + 'static {
    /// The account with this username, with its password hash.
    fn credentials(
        &self,
        username: &str,
    ) -> impl Future<Output = Result<Option<Credentials>, StoreError>> + Send;

    /// Records a session: the SHA-256 of its token, whose it is, and when it ends.
    fn create_session(
        &self,
        token_hash: &str,
        user_id: Uuid,
        expires_at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The account behind an unexpired session token hash.
    fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<User>, StoreError>> + Send;

    /// Applies a pushed batch exactly once, in one transaction.
    fn push(
        &self,
        user: &User,
        client_id: Uuid,
        mutations: &[Mutation],
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<PushOutcome, StoreError>> + Send;

    /// The changes after `cursor` that `user` may see, at most `limit`.
    fn pull(
        &self,
        user: &User,
        cursor: u64,
        limit: u32,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<PullPage, StoreError>> + Send;

    /// Whether the store holds no accounts yet.
    fn is_empty(&self) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Adds an account.
    fn insert_user(
        &self,
        credentials: &Credentials,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds a citizen and publishes it to the change feed.
    fn insert_citizen(
        &self,
        citizen: &Citizen,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds a planned visit and publishes it to the change feed.
    fn insert_visit(
        &self,
        visit: &PlannedVisit,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds a loneliness registration as it is (demo data) and publishes it.
    fn insert_registration(
        &self,
        registration: &naervaer_domain::loneliness::LonelinessRegistration,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds a clip card (made by the municipality) and publishes it.
    fn insert_card(
        &self,
        card: &naervaer_domain::klippekort::ClipCard,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds a ledger entry by `author` as history from before the app (demo
    /// data): its card and targets are checked and the card refreshed, but no
    /// arrival flags are raised; an invalid entry is an error.
    fn insert_clip_entry(
        &self,
        author: &User,
        entry: naervaer_domain::klippekort::ClipEntry,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds an activity revision as it is (demo data) and publishes it to everyone.
    fn insert_activity(
        &self,
        activity: &naervaer_domain::activity::Activity,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds a booking revision as it is (demo data) and publishes it.
    fn insert_booking(
        &self,
        booking: &naervaer_domain::activity::Booking,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// A card's ledger, in no particular order.
    fn clip_ledger(
        &self,
        card_id: Uuid,
    ) -> impl Future<Output = Result<Vec<naervaer_domain::klippekort::ClipEntry>, StoreError>> + Send;

    /// How many note revisions are stored (for tests and reports).
    fn note_count(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;
}
