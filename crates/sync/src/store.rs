//! The device's storage behind a small async trait. A store persists; the
//! sync decisions are made in [`crate::Device`]. Every implementation passes
//! [`crate::conformance`].

use chrono::{DateTime, Utc};
use naervaer_domain::Rejection;
use naervaer_domain::sync::Record;
use thiserror::Error;
use uuid::Uuid;

use crate::outbox::{OutboxEntry, StoredRecord, SyncMeta};

/// Why the device's storage failed. Messages are for people (Danish).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StoreError {
    /// The browser gives no storage (private mode, disabled, or blocked).
    #[error("Enhedens lager kan ikke bruges (privat vindue, eller lager slået fra).")]
    Unavailable,
    /// The storage is full.
    #[error("Enhedens lager er fuldt.")]
    Full,
    /// Writing failed for another reason.
    #[error("Kunne ikke gemme på enheden: {0}")]
    Write(String),
    /// A stored value could not be read.
    #[error("Data på enheden kunne ikke læses: {0}")]
    Read(String),
}

/// One write of a taken response. A store applies a list of them in order,
/// in one transaction where it has transactions. Each write is idempotent and
/// never moves anything backwards, so two windows taking answers at once, or
/// an answer taken again after a crash, leave the store right.
// Writes live briefly in one list per answer: boxing records would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// Mark the outbox entry with this seq rejected, if it is still pending.
    Reject(Rejection),
    /// Raise the acknowledged seq to at least this.
    Acknowledge(u64),
    /// Store a record unless one from a later change is stored
    /// ([`StoredRecord::replaced_by`]).
    Record(StoredRecord),
    /// Remove the pending outbox entry with this seq (settled: its record is
    /// written before, in the same list).
    Settle(u64),
    /// Raise the cursor to at least this.
    Cursor(u64),
    /// Remember when a sync last succeeded (a later time only).
    LastSuccess(DateTime<Utc>),
    /// Remove the synced record with this id (retention). Outbox entries are
    /// never touched by it.
    Forget(Uuid),
}

/// Where one user's sync data lives on a device. The device is single
/// threaded (a browser), so the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait DeviceStore {
    /// The bookkeeping (default when nothing is stored).
    async fn meta(&self) -> Result<SyncMeta, StoreError>;

    /// Every outbox entry, in seq order.
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError>;

    /// Every record, with the change that brought it.
    async fn records(&self) -> Result<Vec<StoredRecord>, StoreError>;

    /// Appends `record` to the outbox as a pending entry with the next seq
    /// ([`SyncMeta::next_seq`]) and remembers that seq as used, in one write.
    /// When this returns `Ok`, the entry is stored.
    async fn append(
        &self,
        record: Record,
        created_at: DateTime<Utc>,
    ) -> Result<OutboxEntry, StoreError>;

    /// The client id: the stored one, or else `fresh`, stored now.
    async fn claim_client_id(&self, fresh: Uuid) -> Result<Uuid, StoreError>;

    /// Applies writes in order (see [`Write`]).
    async fn apply(&self, writes: &[Write]) -> Result<(), StoreError>;

    /// Removes everything of this user (at logout, once all is sent).
    async fn clear(&self) -> Result<(), StoreError>;
}

/// Applies one write to plain maps: the meaning of [`Write`] in one place,
/// for stores that hold their data as maps (the in-memory store; a browser
/// store reads, changes and writes back through it).
pub fn apply_to_maps(
    write: &Write,
    meta: &mut SyncMeta,
    outbox: &mut std::collections::BTreeMap<u64, OutboxEntry>,
    records: &mut std::collections::BTreeMap<Uuid, StoredRecord>,
) {
    match write {
        Write::Reject(rejection) => {
            if let Some(entry) = outbox.get_mut(&rejection.seq)
                && entry.is_pending()
            {
                entry.reject(rejection);
            }
        }
        Write::Acknowledge(seq) => {
            meta.acknowledged_seq = meta.acknowledged_seq.max(*seq);
            meta.last_seq = meta.last_seq.max(meta.acknowledged_seq);
        }
        Write::Record(stored) => {
            let id = stored.record.id();
            let keep_old = records
                .get(&id)
                .is_some_and(|old| !old.replaced_by(stored.change_seq));
            if !keep_old {
                records.insert(id, stored.clone());
            }
        }
        Write::Settle(seq) => {
            if outbox.get(seq).is_some_and(OutboxEntry::is_pending) {
                outbox.remove(seq);
            }
        }
        Write::Cursor(cursor) => meta.cursor = meta.cursor.max(*cursor),
        Write::LastSuccess(at) => meta.last_success = meta.last_success.max(Some(*at)),
        Write::Forget(id) => {
            records.remove(id);
        }
    }
}
