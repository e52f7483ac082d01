//! The device's storage behind a small async trait. A store persists; the
//! sync decisions are made in [`crate::Device`]. Every implementation passes
//! [`crate::conformance`].

use chrono::{DateTime, Utc};
use naervaer_domain::Rejection;
use naervaer_domain::protocol::Record;
use thiserror::Error;
use uuid::Uuid;

use std::collections::BTreeMap;

use crate::outbox::{OutboxEntry, SentEntry, StoredRecord, SyncMeta};

/// Why the device's storage failed. Messages are for logs (English); the app shows
/// its own text for each case.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeviceStoreError {
    /// The browser gives no storage (private mode, disabled, or blocked).
    #[error("device storage is unavailable (private window or storage disabled)")]
    Unavailable,
    /// The storage is full.
    #[error("device storage is full")]
    Full,
    /// Writing failed for another reason.
    #[error("writing to device storage failed: {0}")]
    Write(String),
    /// A stored value could not be read.
    #[error("reading device storage failed: {0}")]
    Read(String),
    /// The user's data key is locked: nothing can be read or written until
    /// the user unlocks it.
    #[error("the device data is locked")]
    Locked,
}

/// One write of a taken response. A store applies a list of them in order,
/// in one transaction where it has transactions. Each write is idempotent and
/// never moves anything backwards, so two windows taking answers at once, or
/// an answer taken again after a crash, leave the store right; a list that
/// starts with [`Write::Guard`] is not applied at all once another window
/// has restarted the sync.
// Writes live briefly in one list per answer: boxing records would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// The writes after this one apply only while the sync's generation is
    /// this (a restart in this list moves the expected generation with it).
    Guard(u64),
    /// Mark the outbox entry with this seq rejected, if it is still pending.
    Reject(Rejection),
    /// The rejected outbox entry with this seq is on the server after all
    /// (a copy of this tablet, or this one after a restore, sent it again
    /// and it was applied): it moves to the sent log as applied.
    Confirmed {
        /// The entry.
        seq: u64,
        /// When (the server's clock).
        at: DateTime<Utc>,
    },
    /// Raise the acknowledged seq to at least this.
    Acknowledge(u64),
    /// Remember the record of the change at this seq, if it is the
    /// acknowledged one.
    AcknowledgedId {
        /// The seq.
        seq: u64,
        /// Its record.
        id: Uuid,
    },
    /// Store a record unless one from a later change is stored
    /// ([`StoredRecord::replaced_by`]).
    Record(StoredRecord),
    /// Store a change this device made and the server settled (as from
    /// change 0, until the server's copy comes), but only while its
    /// citizen is on the device: not once she moved to another team, or
    /// the user did.
    Own(Record),
    /// Move the pending outbox entry with this seq to the sent log (settled:
    /// its record is written before, in the same list).
    Settle {
        /// The entry.
        seq: u64,
        /// When (kept with it in the sent log).
        at: DateTime<Utc>,
    },
    /// Remember that a page ending here is being stored (before its
    /// records): until the cursor reaches it, requests name it too.
    Pulling {
        /// Where the page ends.
        cursor: u64,
        /// Its tag.
        tag: u64,
    },
    /// Raise the cursor to at least this, with the tag of its change.
    Cursor {
        /// The server's change number.
        cursor: u64,
        /// Its tag.
        tag: u64,
    },
    /// Remember the server's database and what this user may see, where
    /// nothing was remembered yet.
    Identity {
        /// The database.
        database_id: Option<Uuid>,
        /// The scope.
        scope: String,
    },
    /// Remember when a sync last succeeded (a later time only).
    LastSuccess(DateTime<Utc>),
    /// Count changes this app could not read.
    Skipped(u64),
    /// Remove the synced record with this id (retention). Outbox entries are
    /// never touched by it.
    Forget(Uuid),
    /// Remove every record of this citizen that came before the change
    /// saying she moved to a team this user does not see; records from
    /// later changes (she may have moved back) stay, so a late or partly
    /// applied answer never takes away what a later one brought. Outbox
    /// entries are never touched by it.
    ForgetCitizen {
        /// The citizen.
        citizen: Uuid,
        /// The change that said so.
        change_seq: u64,
    },
    /// Remove the sent-log entry of this record (kept long enough).
    ForgetSent(Uuid),
    /// Pull everything again from the start: every synced record goes, the
    /// cursor goes to 0, and the database and scope are the ones given.
    /// The outbox and the sent log stay. Raises the generation.
    Rebase {
        /// The server's database.
        database_id: Option<Uuid>,
        /// What this user may now see.
        scope: String,
    },
    /// Go on under a new client id, numbered from 1, all pending: with
    /// [`Resend::Everything`], the sent log's entries (oldest first) and
    /// every outbox entry; with [`Resend::Nothing`], the pending outbox
    /// entries, and rejected ones move to the sent log (their verdict
    /// stands). Raises the generation.
    NewClient {
        /// The new client id.
        client_id: Uuid,
        /// Which sent-log entries are sent again.
        resend: Resend,
        /// Now, by the server's clock (when rejected entries moved).
        at: DateTime<Utc>,
    },
}

/// Which settled changes a new client sends again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resend {
    /// None: the server has them all, and its verdicts stand (a copied or
    /// restored device).
    Nothing,
    /// Every settled change, applied or rejected (the server went back and
    /// lost them and its verdicts; it keeps each record once).
    Everything,
}

/// Where one user's sync data lives on a device. The device is single
/// threaded (a browser), so the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait DeviceStore {
    /// The bookkeeping (default when nothing is stored).
    async fn meta(&self) -> Result<SyncMeta, DeviceStoreError>;

    /// Every outbox entry, in seq order.
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, DeviceStoreError>;

    /// Every record, with the change that brought it.
    async fn records(&self) -> Result<Vec<StoredRecord>, DeviceStoreError>;

    /// Every entry of the sent log, in no particular order.
    async fn sent(&self) -> Result<Vec<SentEntry>, DeviceStoreError>;

    /// Appends `record` to the outbox as a pending entry with the next seq
    /// ([`SyncMeta::next_seq`]) and remembers that seq as used, in one write.
    /// When this returns `Ok`, the entry is stored.
    async fn append(
        &self,
        record: Record,
        created_at: DateTime<Utc>,
    ) -> Result<OutboxEntry, DeviceStoreError>;

    /// The client id: the stored one, or else `fresh`, stored now.
    async fn claim_client_id(&self, fresh: Uuid) -> Result<Uuid, DeviceStoreError>;

    /// Applies writes in order (see [`Write`] and [`apply_all`]).
    async fn apply(&self, writes: &[Write]) -> Result<(), DeviceStoreError>;

    /// Removes everything of this user (at logout, once all is sent).
    async fn clear(&self) -> Result<(), DeviceStoreError>;
}

/// What a device store holds, as plain maps: the shape every write is
/// defined on ([`apply_to_maps`]). A store keeping rows reads the rows a
/// list of writes touches into one of these ([`Maps::touched_by`] names
/// them), applies, and writes back what changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Maps {
    /// The bookkeeping.
    pub meta: SyncMeta,
    /// Outbox entries by seq.
    pub outbox: BTreeMap<u64, OutboxEntry>,
    /// Records by id.
    pub records: BTreeMap<Uuid, StoredRecord>,
    /// Sent-log entries by record id.
    pub sent: BTreeMap<Uuid, SentEntry>,
}

/// What a list of writes reads and writes, for a store that keeps rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Outbox entries by seq.
    pub seqs: Vec<u64>,
    /// Records by id.
    pub records: Vec<Uuid>,
    /// Sent-log entries by record id.
    pub sent: Vec<Uuid>,
    /// Every outbox entry, every record and every sent-log entry (a
    /// restart, or forgetting a citizen).
    pub everything: bool,
}

impl Maps {
    /// The rows `writes` touch.
    pub fn touched_by(writes: &[Write]) -> Touched {
        let mut t = Touched::default();
        for write in writes {
            match write {
                Write::Reject(r) => t.seqs.push(r.seq),
                Write::Settle { seq, .. } | Write::Confirmed { seq, .. } => t.seqs.push(*seq),
                Write::Record(stored) => t.records.push(stored.record.id()),
                Write::Own(record) => {
                    t.records.push(record.id());
                    t.records.extend(record.citizen_id());
                }
                Write::Forget(id) => t.records.push(*id),
                Write::ForgetSent(id) => t.sent.push(*id),
                Write::ForgetCitizen { .. } | Write::Rebase { .. } | Write::NewClient { .. } => {
                    t.everything = true
                }
                Write::Guard(_)
                | Write::Acknowledge(_)
                | Write::AcknowledgedId { .. }
                | Write::Pulling { .. }
                | Write::Cursor { .. }
                | Write::Identity { .. }
                | Write::LastSuccess(_)
                | Write::Skipped(_) => {}
            }
        }
        t.seqs.sort_unstable();
        t.seqs.dedup();
        t.records.sort_unstable();
        t.records.dedup();
        t.sent.sort_unstable();
        t.sent.dedup();
        t
    }
}

/// Where a list of writes stands while it is applied: the generation it
/// may still write under ([`Write::Guard`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applying {
    expected: Option<u64>,
}

/// Applies a whole list of writes to `maps` (one transaction).
pub fn apply_all(writes: &[Write], maps: &mut Maps) {
    let mut applying = Applying::default();
    for write in writes {
        apply_to_maps(write, &mut applying, maps);
    }
}

/// Applies one write to plain maps: the meaning of [`Write`] in one place,
/// for every store (the in-memory store applies them to its maps; the
/// browser's store reads the rows they touch, applies, and writes back).
pub fn apply_to_maps(write: &Write, applying: &mut Applying, maps: &mut Maps) {
    if let Write::Guard(generation) = write {
        applying.expected = Some(*generation);
        return;
    }
    if applying
        .expected
        .is_some_and(|expected| expected != maps.meta.generation)
    {
        return;
    }
    let Maps {
        meta,
        outbox,
        records,
        sent,
    } = maps;
    match write {
        Write::Guard(_) => {}
        Write::Reject(rejection) => {
            if let Some(entry) = outbox.get_mut(&rejection.seq)
                && entry.is_pending()
            {
                entry.reject(rejection);
            }
        }
        Write::Acknowledge(seq) => {
            if *seq > meta.acknowledged_seq {
                meta.acknowledged_seq = *seq;
                meta.acknowledged_id = None;
            }
            meta.last_seq = meta.last_seq.max(meta.acknowledged_seq);
        }
        Write::AcknowledgedId { seq, id } => {
            if *seq == meta.acknowledged_seq {
                meta.acknowledged_id = Some(*id);
            }
        }
        Write::Own(record) => {
            let id = record.id();
            let citizen_here = record
                .citizen_id()
                .is_none_or(|c| c == id || records.contains_key(&c));
            if citizen_here && !records.contains_key(&id) {
                records.insert(
                    id,
                    StoredRecord {
                        change_seq: 0,
                        record: record.clone(),
                        received_at: None,
                    },
                );
            }
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
        Write::Confirmed { seq, at } => {
            into_sent_log(meta, outbox, sent, (*seq, *at), |e| !e.is_pending());
        }
        Write::Settle { seq, at } => {
            into_sent_log(meta, outbox, sent, (*seq, *at), OutboxEntry::is_pending);
        }
        Write::Pulling { cursor, tag } => {
            if *cursor > meta.cursor {
                meta.pulling = Some(naervaer_domain::protocol::FeedPoint {
                    seq: *cursor,
                    tag: *tag,
                });
            }
        }
        Write::Cursor { cursor, tag } => {
            if *cursor > meta.cursor {
                meta.cursor = *cursor;
                meta.cursor_tag = *tag;
            } else if *cursor == meta.cursor && meta.cursor_tag == 0 {
                meta.cursor_tag = *tag;
            }
            if meta.pulling.is_some_and(|p| p.seq <= meta.cursor) {
                meta.pulling = None;
            }
        }
        Write::Identity { database_id, scope } => {
            if meta.database_id.is_none() {
                meta.database_id = *database_id;
            }
            if meta.scope.is_none() && !scope.is_empty() {
                meta.scope = Some(scope.clone());
            }
        }
        Write::LastSuccess(at) => meta.last_success = meta.last_success.max(Some(*at)),
        Write::Skipped(n) => meta.skipped = meta.skipped.saturating_add(*n),
        Write::Forget(id) => {
            records.remove(id);
        }
        Write::ForgetCitizen {
            citizen,
            change_seq,
        } => {
            records.retain(|_, stored| {
                stored.record.citizen_id() != Some(*citizen) || stored.change_seq > *change_seq
            });
        }
        Write::ForgetSent(id) => {
            sent.remove(id);
        }
        Write::Rebase { database_id, scope } => {
            records.clear();
            meta.cursor = 0;
            meta.cursor_tag = 0;
            meta.pulling = None;
            meta.database_id = *database_id;
            meta.scope = (!scope.is_empty()).then(|| scope.clone());
            restarted(meta, applying);
        }
        Write::NewClient {
            client_id,
            resend,
            at,
        } => {
            let current = meta.client_id;
            let everything = *resend == Resend::Everything;
            let mut again: Vec<SentEntry> = if everything {
                std::mem::take(sent).into_values().collect()
            } else {
                Vec::new()
            };
            again.sort_by_key(|e| (e.settled_at, e.seq));
            // A rejected entry's verdict stands while the server that gave
            // it does: it moves to the sent log (under the client that sent
            // it). A server that went back lost its verdicts: they are
            // sent again to be judged again.
            let (pending, rejected): (Vec<OutboxEntry>, Vec<OutboxEntry>) = std::mem::take(outbox)
                .into_values()
                .partition(|e| everything || e.is_pending());
            for entry in rejected {
                if let Some(old_client) = current {
                    sent.insert(
                        entry.record.id(),
                        SentEntry {
                            client_id: old_client,
                            seq: entry.seq,
                            record: entry.record,
                            created_at: entry.created_at,
                            settled_at: *at,
                            rejected: Some(entry.state),
                        },
                    );
                }
            }
            let records_in_order = again
                .into_iter()
                .map(|e| {
                    let shown = e.applied();
                    (e.record, e.created_at, shown)
                })
                .chain(
                    pending
                        .into_iter()
                        .map(|e| (e.record, e.created_at, e.resent)),
                );
            for (i, (record, created_at, resent)) in records_in_order.enumerate() {
                let seq = i as u64 + 1;
                let mut entry = OutboxEntry::new(seq, record, created_at);
                entry.resent = resent;
                outbox.insert(seq, entry);
            }
            meta.client_id = Some(*client_id);
            meta.acknowledged_seq = 0;
            meta.acknowledged_id = None;
            meta.last_seq = outbox.len() as u64;
            restarted(meta, applying);
        }
    }
}

/// Moves the outbox entry `seq`, if `which` it is, to the sent log as
/// applied under the current client, settled at `at`.
fn into_sent_log(
    meta: &SyncMeta,
    outbox: &mut BTreeMap<u64, OutboxEntry>,
    sent: &mut BTreeMap<Uuid, SentEntry>,
    (seq, at): (u64, DateTime<Utc>),
    which: fn(&OutboxEntry) -> bool,
) {
    if let Some(client_id) = meta.client_id
        && outbox.get(&seq).is_some_and(which)
        && let Some(entry) = outbox.remove(&seq)
    {
        sent.insert(
            entry.record.id(),
            SentEntry {
                client_id,
                seq: entry.seq,
                record: entry.record,
                created_at: entry.created_at,
                settled_at: at,
                rejected: None,
            },
        );
    }
}

/// A restart raises the generation; the rest of its own list follows it.
fn restarted(meta: &mut SyncMeta, applying: &mut Applying) {
    meta.generation += 1;
    if applying.expected.is_some() {
        applying.expected = Some(meta.generation);
    }
}
