//! What the device keeps about sync: outbox entries, records with the change
//! that brought them, and the bookkeeping (client id, cursor, acknowledgement).
//! The JSON shapes are the ones the app has always stored, so data written by
//! an earlier version is still read.

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use naervaer_domain::{Mutation, Rejection, ValidationError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Sync bookkeeping of one user on this device.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SyncMeta {
    /// This device login's client id; made at the first sync, kept until logout.
    pub client_id: Option<Uuid>,
    /// The server's change number last pulled.
    pub cursor: u64,
    /// Every outbox seq up to this is settled on the server.
    pub acknowledged_seq: u64,
    /// The record of the change at `acknowledged_seq`, when known: sent
    /// with every request, so a server that settled another change under
    /// that seq says it lost this device's.
    #[serde(default)]
    pub acknowledged_id: Option<Uuid>,
    /// When a sync last succeeded.
    #[serde(default)]
    pub last_success: Option<DateTime<Utc>>,
    /// The highest seq ever given to a change on this device (0 in data
    /// written before it was kept: then the outbox and the acknowledgement tell).
    #[serde(default)]
    pub last_seq: u64,
    /// The tag of the change at `cursor`, as the server sent it (0 before the
    /// server sent tags).
    #[serde(default)]
    pub cursor_tag: u64,
    /// The end of a page whose records were being stored when the cursor
    /// was not yet (a store that writes item by item, or a crash between).
    #[serde(default)]
    pub pulling: Option<naervaer_domain::protocol::FeedPoint>,
    /// The server database this device syncs with (none before the first sync).
    #[serde(default)]
    pub database_id: Option<Uuid>,
    /// What the server says this user may see (`team:Nord`, …).
    #[serde(default)]
    pub scope: Option<String>,
    /// Raised by every restart of the device's sync (a new client id, or a
    /// pull from the start): an answer to a request built before it is not
    /// taken, so a late answer never undoes a restart.
    #[serde(default)]
    pub generation: u64,
    /// Changes pulled that this app could not read (from a newer server):
    /// skipped, and counted here.
    #[serde(default)]
    pub skipped: u64,
}

impl SyncMeta {
    /// The seq the next change gets: one past every seq this client has used,
    /// whether still in the outbox (`outbox_max`), acknowledged, or settled
    /// and gone. Stores call this inside the write that appends the entry.
    pub fn next_seq(&self, outbox_max: u64) -> u64 {
        self.last_seq
            .max(outbox_max)
            .max(self.acknowledged_seq)
            .saturating_add(1)
    }
}

/// Where an outbox entry stands. (Externally tagged, as always stored.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting to be sent.
    Pending,
    /// The server would not apply it; kept so a person can act on it.
    Rejected {
        /// Stable reason code.
        code: String,
        /// The server's message.
        message: String,
    },
}

/// One change made on this device, kept until the server has settled it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Its place in this client's gap-free sequence.
    pub seq: u64,
    /// The record it stores.
    pub record: Record,
    /// Where it stands.
    pub state: EntryState,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Sent again after the server lost it (from the sent log): the device
    /// had it already, so settling it does not show it again as its own
    /// (retention may have taken it since).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resent: bool,
}

impl OutboxEntry {
    /// A new pending entry.
    pub fn new(seq: u64, record: Record, created_at: DateTime<Utc>) -> OutboxEntry {
        OutboxEntry {
            seq,
            record,
            state: EntryState::Pending,
            created_at,
            resent: false,
        }
    }

    /// The mutation pushed for this entry.
    pub fn mutation(&self) -> Result<Mutation, ValidationError> {
        Mutation::for_record(self.seq, &self.record)
    }

    /// Whether it still waits to be sent.
    pub fn is_pending(&self) -> bool {
        self.state == EntryState::Pending
    }

    /// Marks the entry as rejected.
    pub fn reject(&mut self, rejection: &Rejection) {
        self.state = EntryState::Rejected {
            code: rejection.code.clone(),
            message: rejection.message.clone(),
        };
    }
}

/// A change the server has settled, kept on the device for a while after
/// (the retention setting's `sent_log_days`), so that a server restored from
/// a backup taken before it can get it again. Kept by record id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentEntry {
    /// The client id it was sent under.
    pub client_id: Uuid,
    /// Its seq under that client.
    pub seq: u64,
    /// The record it stored.
    pub record: Record,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When the server's settling of it was taken.
    pub settled_at: DateTime<Utc>,
    /// How the server settled it: applied, or (for an entry that went on
    /// under a new client id) rejected. A rejected change is never sent
    /// again: the server's verdict on it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<EntryState>,
}

impl SentEntry {
    /// Whether the server applied it (and so must have it).
    pub fn applied(&self) -> bool {
        self.rejected.is_none()
    }

    /// It as an outbox entry, for display (rejected, or settled).
    pub fn as_outbox_entry(&self) -> OutboxEntry {
        OutboxEntry {
            seq: self.seq,
            record: self.record.clone(),
            state: self.rejected.clone().unwrap_or(EntryState::Pending),
            created_at: self.created_at,
            resent: false,
        }
    }
}

/// A record on the device with the server change that brought it (0 for a
/// record the device settled itself before pulling the server's copy). A
/// record is only ever replaced by one from a later change, so an older page
/// taken late (by another window) never undoes a newer one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRecord {
    /// The server's change number, or 0.
    pub change_seq: u64,
    /// The record.
    pub record: Record,
    /// When the server received it (its clock), if it said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<DateTime<Utc>>,
}

impl StoredRecord {
    /// Whether `incoming` may replace this stored record.
    pub fn replaced_by(&self, incoming_seq: u64) -> bool {
        incoming_seq >= self.change_seq
    }
}
