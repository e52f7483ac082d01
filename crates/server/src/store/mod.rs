//! Storage behind two traits: [`Store`] (queries outside a transaction, and
//! opening one) and [`Tx`] (reads and writes inside one transaction). A
//! store persists and queries; every rule of the protocol is decided once,
//! above the stores, in [`crate::rules`]. So a new store adds storage, not
//! rules, and every store passes one conformance suite.

mod memory;
mod postgres;
mod sql;
mod sqlite;

use std::future::Future;

use chrono::{DateTime, Utc};
use naervaer_domain::activity::{Activity, Booking};
use naervaer_domain::clips::{ClipCard, ClipEntry, ClipPolicy};
use naervaer_domain::protocol::Record;
use naervaer_domain::{ChangeKind, Gap, Rejection, User};
use serde_json::value::RawValue;
use thiserror::Error;
use uuid::Uuid;

use crate::account_log::AccountEvent;
use crate::sessions::SessionTimes;

pub use memory::{MemorySnapshot, MemoryStore};
pub use postgres::PgStore;
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
    /// A row names one that is not stored (as a SQL foreign key refuses).
    #[error("refers to a {0} that is not stored")]
    Missing(&'static str),
}

impl StoreError {
    /// Whether the database gave up waiting: a lock or statement timeout
    /// (PostgreSQL), a busy database file (SQLite), or no free connection
    /// in time. The request can be sent again.
    pub fn is_busy(&self) -> bool {
        let StoreError::Database(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::PoolTimedOut => true,
            sqlx::Error::Database(db) => matches!(
                db.code().as_deref(),
                // PostgreSQL: query_canceled (statement_timeout),
                // lock_not_available (lock_timeout), idle transaction ended.
                Some("57014" | "55P03" | "25P03")
                // SQLite: SQLITE_BUSY and SQLITE_LOCKED.
                | Some("5" | "6" | "261" | "517" | "262")
            ),
            _ => false,
        }
    }
}

/// A user's device data key: 32 random bytes. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey(pub [u8; 32]);

impl DataKey {
    /// A new key from the operating system's random numbers.
    pub fn fresh() -> Result<DataKey, StoreError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)
            .map_err(|e| StoreError::Corrupt(format!("no random numbers: {e}")))?;
        Ok(DataKey(key))
    }

    /// The key as stored (`None` unless exactly 32 bytes).
    pub fn from_bytes(bytes: &[u8]) -> Option<DataKey> {
        bytes.try_into().ok().map(DataKey)
    }

    /// The key in hex, as a login sends it.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// An account together with its password hash, for logging in.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub user: User,
    /// Its argon2 PHC hash string.
    pub password_hash: String,
}

/// Whose an unexpired session is.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionOwner {
    /// A working account.
    Active(User),
    /// An account disabled since the session began: its devices forget
    /// the key to its data.
    Disabled(User),
}

/// What the server keeps of each settled mutation: a fingerprint of its
/// content (a seq sent again with other content is told from a repeat) and
/// the id of the record it carried (a device names the record of its last
/// acknowledged seq, and one that names another has lost its place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    /// See [`naervaer_domain::exactly_once::fingerprint`].
    pub fingerprint: String,
    /// The record's id, when the mutation could be read.
    pub record_id: Option<Uuid>,
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
    /// The device holds more of its changes as acknowledged than this
    /// server holds (the database went back in time).
    pub seqs_lost: bool,
    /// Where the batch stopped because a settled seq came with other content.
    pub seq_reused: Option<u64>,
}

/// A feed row read for sending: the record as its stored JSON, passed on to
/// the device as it is (not parsed and written out again).
#[derive(Debug, serde::Serialize)]
pub struct SentRow {
    /// Its number in the feed.
    pub seq: u64,
    /// Who may see it (for the audit log; not sent).
    #[serde(skip)]
    pub audience: Audience,
    /// The record, as JSON.
    pub record: Box<RawValue>,
    /// When the server received the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_at: Option<DateTime<Utc>>,
    /// The row's tag (sent as the answer's `cursor_tag` for the last row).
    #[serde(skip)]
    pub tag: u64,
}

impl SentRow {
    /// A row of the stored JSON `payload`; JSON that does not parse is corrupt data.
    pub fn from_payload(
        seq: u64,
        audience: Audience,
        payload: String,
        received_at: Option<DateTime<Utc>>,
        tag: u64,
    ) -> Result<SentRow, StoreError> {
        let record =
            RawValue::from_string(payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(SentRow {
            seq,
            audience,
            record,
            received_at,
            tag,
        })
    }

    /// The record, parsed (for checks; sending does not need it).
    pub fn parse(self) -> Result<FeedRow, StoreError> {
        Ok(FeedRow {
            seq: self.seq,
            audience: self.audience,
            record: serde_json::from_str(self.record.get())
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            received_at: self.received_at,
            tag: self.tag,
        })
    }
}

/// Which changes a pull leaves out because the device would not keep
/// them: notes received before `history_from`, visits and bookings that
/// ended before `past_from` (the retention setting at the server's now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// The oldest note kept.
    pub history_from: DateTime<Utc>,
    /// The oldest end of a visit or booking kept.
    pub past_from: DateTime<Utc>,
}

impl Keep {
    /// Everything (for checks and tests).
    pub fn everything() -> Keep {
        Keep {
            history_from: DateTime::<Utc>::MIN_UTC,
            past_from: DateTime::<Utc>::MIN_UTC,
        }
    }

    /// What the retention setting keeps at `now`.
    pub fn at(retention: &naervaer_domain::retention::RetentionPolicy, now: DateTime<Utc>) -> Keep {
        use naervaer_domain::retention::Window;
        Keep {
            history_from: retention.start(Window::History, now),
            past_from: retention.start(Window::PastVisits, now),
        }
    }

    /// Whether a change of `record`, received at `received_at`, is sent.
    pub fn keeps(&self, record: &Record, received_at: Option<DateTime<Utc>>) -> bool {
        use naervaer_domain::retention::{Window, reckoned_from};
        match reckoned_from(record, received_at) {
            Some((Window::History, from)) => from >= self.history_from,
            Some((Window::PastVisits, from)) => from >= self.past_from,
            None => true,
        }
    }
}

/// One page of changes.
#[derive(Debug, Default)]
pub struct PullPage {
    /// Changes, oldest first.
    pub changes: Vec<SentRow>,
    /// The cursor after this page.
    pub next_cursor: u64,
    /// The tag of the row at `next_cursor`.
    pub cursor_tag: u64,
    /// Whether more changes wait.
    pub more: bool,
    /// The request's cursor is not in this feed: nothing was pulled.
    pub feed_lost: bool,
}

/// Which changes of the feed a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every change (coordinators).
    All,
    /// Changes of one team's citizens, and the shared catalogue (workers).
    Team(String),
    /// Changes of one citizen, and the shared catalogue (the citizen).
    Citizen(Uuid),
}

impl Scope {
    /// The name sent to the device in every answer.
    pub fn wire_name(&self) -> String {
        match self {
            Scope::All => naervaer_domain::protocol::SCOPE_ALL.to_string(),
            Scope::Team(team) => naervaer_domain::protocol::team_scope(team),
            Scope::Citizen(id) => naervaer_domain::protocol::citizen_scope(*id),
        }
    }
}

/// A random tag for a new feed row: 53 bits, so that it is exact wherever
/// JSON numbers are doubles, and never 0 (the tag of rows written before
/// tags were kept).
pub fn new_tag() -> u64 {
    tag_from(Uuid::new_v4().as_u128() as u64)
}

/// A tag from 64 random (or well-mixed) bits.
pub fn tag_from(bits: u64) -> u64 {
    (bits & ((1 << 53) - 1)).max(1)
}

/// Who a change in the feed belongs to: one citizen of one team, or nobody
/// (the catalogue, which everyone sees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// A citizen's record, seen by their team, coordinators and themself.
    Citizen {
        /// The citizen.
        citizen_id: Uuid,
        /// Their team.
        team: String,
    },
    /// Seen by everyone.
    Everyone,
}

impl Audience {
    /// Whether a reader with `scope` may see it.
    pub fn visible_to(&self, scope: &Scope) -> bool {
        match (self, scope) {
            (Audience::Everyone, _) | (_, Scope::All) => true,
            (Audience::Citizen { team, .. }, Scope::Team(t)) => team == t,
            (Audience::Citizen { citizen_id, .. }, Scope::Citizen(c)) => citizen_id == c,
        }
    }
}

/// A change as stored in the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedRow {
    /// Its number in the feed.
    pub seq: u64,
    /// Who may see it.
    pub audience: Audience,
    /// The record.
    pub record: Record,
    /// When the server received the record.
    pub received_at: Option<DateTime<Utc>>,
    /// A random number given to the row when it was written: a device
    /// sends the tag of the row at its cursor, and a feed that went back in
    /// time has another row there (or none).
    pub tag: u64,
}

/// A one-time ticket of a login through the identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginTicket {
    /// SHA-256 of its id (the `state`, or the handoff code).
    pub id_hash: String,
    /// What it is: `begun` or `done`.
    pub kind: String,
    /// SHA-256 of the browser's login cookie: only that browser may use it.
    pub binding_hash: String,
    /// What it carries (JSON).
    pub payload: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// One line of the audit log: who read or wrote which citizen's data, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub user_id: Uuid,
    /// Whose data.
    pub citizen_id: Uuid,
    /// `read` or `write`.
    pub action: String,
    /// What and why.
    pub detail: String,
}

/// Reads and writes inside one transaction. Dropping it without
/// [`Tx::commit`] undoes every write.
pub trait Tx: Send {
    /// Makes every write of this transaction durable, at once.
    fn commit(self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// A client's owner and last settled seq.
    fn client(
        &mut self,
        client_id: Uuid,
    ) -> impl Future<Output = Result<Option<(Uuid, u64)>, StoreError>> + Send;

    /// Registers a client of `user_id` with nothing settled.
    fn insert_client(
        &mut self,
        client_id: Uuid,
        user_id: Uuid,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// What is stored of these settled seqs of a client (those it has).
    fn settled(
        &mut self,
        client_id: Uuid,
        seqs: &[u64],
    ) -> impl Future<Output = Result<std::collections::HashMap<u64, Settled>, StoreError>> + Send;

    /// Stores what is kept of mutations settled now, by seq.
    fn insert_settled(
        &mut self,
        client_id: Uuid,
        rows: &[(u64, Settled)],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Records the client's last settled seq.
    fn set_last_seq(
        &mut self,
        client_id: Uuid,
        seq: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The stored rejection of a client's mutation, if it was rejected.
    fn rejection(
        &mut self,
        client_id: Uuid,
        seq: u64,
    ) -> impl Future<Output = Result<Option<Rejection>, StoreError>> + Send;

    /// Stores a rejection.
    fn insert_rejection(
        &mut self,
        client_id: Uuid,
        rejection: &Rejection,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// A citizen's team, if the citizen exists.
    fn citizen_team(
        &mut self,
        citizen_id: Uuid,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;

    /// Looks these records up at once, so that [`Tx::find`] of any of them
    /// then costs nothing (a push names every record its batch will look
    /// up). A store without round trips may ignore it.
    fn prefetch(
        &mut self,
        wanted: &[(ChangeKind, Uuid)],
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let _ignored = wanted;
        async { Ok(()) }
    }

    /// A stored record of this kind by id.
    fn find(
        &mut self,
        kind: ChangeKind,
        id: Uuid,
    ) -> impl Future<Output = Result<Option<Record>, StoreError>> + Send;

    /// Stores a new record (citizen, visit, note revision, registration,
    /// card, ledger entry, activity or booking revision).
    fn insert(&mut self, record: &Record) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Replaces a stored card (its check changed).
    fn update_card(
        &mut self,
        card: &ClipCard,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// A card's ledger, in no particular order.
    fn ledger(
        &mut self,
        card_id: Uuid,
    ) -> impl Future<Output = Result<Vec<ClipEntry>, StoreError>> + Send;

    /// Stores that an entry broke a rule (once per entry and code).
    fn insert_flag(
        &mut self,
        entry_id: Uuid,
        code: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The flags of a card's entries, ordered by entry and code.
    fn card_flags(
        &mut self,
        card_id: Uuid,
    ) -> impl Future<Output = Result<Vec<(Uuid, String)>, StoreError>> + Send;

    /// Every revision of an activity.
    fn activity_revisions(
        &mut self,
        activity_id: Uuid,
    ) -> impl Future<Output = Result<Vec<Activity>, StoreError>> + Send;

    /// Every booking revision of one occurrence of an activity.
    fn bookings_at(
        &mut self,
        activity_id: Uuid,
        occurrence_start: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<Booking>, StoreError>> + Send;

    /// Publishes a record to the change feed, received at `received_at`
    /// (the server's time when a device sent it or the server changed it;
    /// `None` for history from before the app, seeded). The row gets a
    /// random tag.
    fn append_change(
        &mut self,
        record: &Record,
        audience: &Audience,
        received_at: Option<DateTime<Utc>>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Appends to the audit log.
    fn audit(&mut self, entry: &AuditEntry) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The newest feed row of each record of a citizen (her own record
    /// among them), oldest first.
    fn citizen_changes(
        &mut self,
        citizen_id: Uuid,
    ) -> impl Future<Output = Result<Vec<FeedRow>, StoreError>> + Send;

    /// Moves a citizen to another team: her record, and every feed row of
    /// hers that `from` sees now goes to `to` (the feed follows who she
    /// belongs to now).
    fn move_citizen(
        &mut self,
        citizen_id: Uuid,
        from: &str,
        to: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Where everything the server keeps is stored.
pub trait Store: Send + Sync + 'static {
    /// A transaction of this store.
    type Tx: Tx;

    /// Opens a transaction. Writers take turns, across every server
    /// process on the database: one writing transaction at a time, so the
    /// change feed's numbers are given out in commit order and a pull never
    /// passes over a change that commits later with a lower number.
    fn begin(&self) -> impl Future<Output = Result<Self::Tx, StoreError>> + Send;

    /// The municipality's klippekort policy (cards under another shipped
    /// policy keep theirs).
    fn clip_policy(&self) -> &ClipPolicy;

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
        times: &SessionTimes,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Moves a session's idle end on (a request came).
    fn touch_session(
        &self,
        token_hash: &str,
        idle_until: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Ends the session with this token hash (a logout); nothing if there
    /// is none.
    fn delete_session(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The user's device data key: the one they have, or else `fresh`,
    /// stored now (once made, a user's key never changes).
    fn data_key(
        &self,
        user_id: Uuid,
        fresh: DataKey,
    ) -> impl Future<Output = Result<DataKey, StoreError>> + Send;

    /// The account behind a session token hash that is live at `now`
    /// (see [`SessionTimes::is_live`]), or whose account is disabled, with
    /// the session's times.
    fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<(SessionOwner, SessionTimes)>, StoreError>> + Send;

    /// Writes a line of the account log.
    fn record_account_event(
        &self,
        event: &AccountEvent,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The newest lines of the account log, newest first, at most `limit`.
    fn account_events(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<AccountEvent>, StoreError>> + Send;

    /// Keeps a one-time login ticket, and drops tickets made before
    /// `older_than`.
    fn put_ticket(
        &self,
        ticket: &LoginTicket,
        older_than: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Takes the ticket of this kind, id hash and browser binding hash: it
    /// is gone afterwards, so only one request ever gets it. Another
    /// browser's try finds nothing and leaves it.
    fn take_ticket(
        &self,
        kind: &str,
        id_hash: &str,
        binding_hash: &str,
    ) -> impl Future<Output = Result<Option<LoginTicket>, StoreError>> + Send;

    /// The provider's person an account is linked to, if any.
    fn municipal_subject(
        &self,
        user_id: Uuid,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;

    /// Links an account to the provider's person (`None`: unlinks it).
    fn set_municipal_subject(
        &self,
        user_id: Uuid,
        subject: Option<&str>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Sets an account's local password hash and ends its sessions (a
    /// password set anew after a compromise shuts the intruder out).
    /// `Missing("user")` when there is no such account.
    fn set_password_hash(
        &self,
        username: &str,
        password_hash: &str,
    ) -> impl Future<Output = Result<User, StoreError>> + Send;

    /// Disables the account named `username` (at `at`), or enables it
    /// (`None`): a disabled user's sessions are answered as disabled, and
    /// enabling ends them. `Missing("user")` when there is no such account.
    fn set_disabled(
        &self,
        username: &str,
        at: Option<DateTime<Utc>>,
    ) -> impl Future<Output = Result<User, StoreError>> + Send;

    /// Whether the user's account is disabled.
    fn is_disabled(&self, user_id: Uuid) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The changes after `cursor` that `scope` may see and `keep` keeps,
    /// oldest first, at most `limit`, with their records as stored.
    fn changes_after(
        &self,
        scope: &Scope,
        cursor: u64,
        limit: u32,
        keep: &Keep,
    ) -> impl Future<Output = Result<Vec<SentRow>, StoreError>> + Send;

    /// The tag of the feed row numbered `seq`, if there is one.
    fn feed_tag(&self, seq: u64) -> impl Future<Output = Result<Option<u64>, StoreError>> + Send;

    /// The database's identity: made once, when its schema was created, so
    /// a device can tell another database from the one it synced with.
    fn database_id(&self) -> Uuid;

    /// Whether the store holds no accounts yet.
    fn is_empty(&self) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Every account, by username.
    fn users(&self) -> impl Future<Output = Result<Vec<User>, StoreError>> + Send;

    /// Puts an account in another team (`None`: no team).
    fn set_user_team(
        &self,
        user_id: Uuid,
        team: Option<&str>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds an account.
    fn insert_user(
        &self,
        credentials: &Credentials,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// How many note revisions are stored (for tests and reports).
    fn note_count(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The audit log of one citizen, oldest first (for tests and the access log).
    fn audit_of(
        &self,
        citizen_id: Uuid,
    ) -> impl Future<Output = Result<Vec<AuditEntry>, StoreError>> + Send;

    /// Whether the database answers (for `/api/v1/health`).
    fn ping(&self) -> impl Future<Output = Result<(), StoreError>> + Send;
}
