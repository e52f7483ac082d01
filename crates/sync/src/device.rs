//! The device's sync decisions over a [`DeviceStore`]: saving into the
//! outbox, building a request, and taking a response.

use std::cell::RefCell;
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use naervaer_domain::sync::Record;
use naervaer_domain::{SyncRequest, SyncResponse};
use thiserror::Error;
use uuid::Uuid;

use crate::outbox::{OutboxEntry, StoredRecord};
use crate::store::{DeviceStore, StoreError, Write};

/// How many mutations one request pushes, and how many changes it asks for.
pub const BATCH: usize = 200;

/// A save the store refused: the record is held in memory and written, in
/// order, before the next save or sync.
pub type SaveError = StoreError;

/// Why a response was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TakeError {
    /// The answer does not fit what this device sent or holds; nothing was
    /// written, the outbox stays as it was.
    #[error("Serverens svar kunne ikke bruges ({0}). Intet er ændret på enheden; der prøves igen.")]
    Unreadable(String),
    /// Writing what the answer brought failed; what was written is safe to
    /// write again.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one request carried, to check its answer against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sent {
    /// The cursor sent.
    pub cursor: u64,
    /// The seqs pushed.
    pub seqs: BTreeSet<u64>,
}

/// What taking an answer did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Taken {
    /// The records this answer brought to the store (settled changes and
    /// pulled records, in the order written), so a view can follow without
    /// reading the whole store again.
    pub records: Vec<Record>,
    /// Outbox entries settled as applied.
    pub settled: usize,
    /// Outbox entries marked rejected.
    pub rejected: usize,
    /// Records written from pulled changes.
    pub pulled: usize,
    /// Whether the acknowledgement moved forward.
    pub acknowledged_more: bool,
}

/// One user's sync on one device (one window of the app). Several windows
/// may each have their own `Device` over one shared store.
#[derive(Debug)]
pub struct Device<S> {
    store: S,
    held: RefCell<Vec<(Record, DateTime<Utc>)>>,
    written_from_held: RefCell<Vec<OutboxEntry>>,
    /// Saves of this window one at a time: two saves awaiting the store at
    /// once must not both write the same held change.
    saving: futures_util::lock::Mutex<()>,
}

impl<S: DeviceStore> Device<S> {
    /// The sync of the user whose store this is.
    pub fn new(store: S) -> Device<S> {
        Device {
            store,
            held: RefCell::new(Vec::new()),
            written_from_held: RefCell::new(Vec::new()),
            saving: futures_util::lock::Mutex::new(()),
        }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// How many saves the store refused and are held in memory.
    pub fn held_count(&self) -> usize {
        self.held.borrow().len()
    }

    /// The records held in memory (for display as "not yet on the device").
    pub fn held_records(&self) -> Vec<Record> {
        self.held.borrow().iter().map(|(r, _)| r.clone()).collect()
    }

    /// The held changes written to the store since the last call: they are
    /// saved now (the app clears its "kept, retrying" notice).
    pub fn take_written_from_held(&self) -> Vec<OutboxEntry> {
        std::mem::take(&mut *self.written_from_held.borrow_mut())
    }

    /// Saves a change: `Ok` only once it is in the store's outbox. If the
    /// store refuses, the change is held in memory (the error says why) and
    /// written before anything saved later, so changes keep their order.
    pub async fn save(&self, record: Record, now: DateTime<Utc>) -> Result<OutboxEntry, SaveError> {
        let _one_at_a_time = self.saving.lock().await;
        if let Err(e) = self.write_held().await {
            self.held.borrow_mut().push((record, now));
            return Err(e);
        }
        match self.store.append(record.clone(), now).await {
            Ok(entry) => Ok(entry),
            Err(e) => {
                self.held.borrow_mut().push((record, now));
                Err(e)
            }
        }
    }

    /// Writes held changes to the store, oldest first; stops at the first
    /// refusal and keeps the rest. Returns the entries now stored.
    pub async fn retry_held(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let _one_at_a_time = self.saving.lock().await;
        self.write_held().await
    }

    async fn write_held(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut stored = Vec::new();
        loop {
            let Some((record, at)) = self.held.borrow().first().cloned() else {
                return Ok(stored);
            };
            let entry = self.store.append(record, at).await?;
            self.held.borrow_mut().remove(0);
            self.written_from_held.borrow_mut().push(entry.clone());
            stored.push(entry);
        }
    }

    /// The next request: the client id (claimed from `fresh` on first use),
    /// the cursor, and the oldest pending entries (at most [`BATCH`]).
    pub async fn next_request(&self, fresh: Uuid) -> Result<(SyncRequest, Sent), StoreError> {
        let client_id = self.store.claim_client_id(fresh).await?;
        let meta = self.store.meta().await?;
        let outbox = self.store.outbox().await?;
        let mut mutations = Vec::new();
        for entry in outbox.iter().filter(|e| e.is_pending()).take(BATCH) {
            // An entry that cannot be encoded stops the batch there (sending
            // the ones after it would leave a gap); it stays in the outbox.
            match entry.mutation() {
                Ok(m) => mutations.push(m),
                Err(_) => break,
            }
        }
        let sent = Sent {
            cursor: meta.cursor,
            seqs: mutations.iter().map(|m| m.seq).collect(),
        };
        let request = SyncRequest {
            client_id,
            cursor: meta.cursor,
            mutations,
            limit: Some(BATCH as u32),
        };
        Ok((request, sent))
    }

    /// Takes an answer. It is checked first, and nothing is written when it
    /// does not fit. Then, in this order, so that a crash between any two
    /// writes loses nothing: rejections; the acknowledgement; each sent entry
    /// the server settled without rejecting, as a record and then out of the
    /// outbox; the pulled records; and the cursor last. An entry is settled
    /// only on the server's word about that entry in this answer: an entry
    /// another window saved after this request was built stays pending and
    /// is sent again (the server then repeats its verdict).
    pub async fn take_response(
        &self,
        sent: &Sent,
        response: &SyncResponse,
        now: DateTime<Utc>,
    ) -> Result<Taken, TakeError> {
        let meta = self.store.meta().await?;
        let outbox = self.store.outbox().await?;
        let outbox_max = outbox.last().map_or(0, |e| e.seq);
        let made = meta.next_seq(outbox_max) - 1;
        check_response(
            sent,
            response,
            made.max(sent.seqs.last().copied().unwrap_or(0)),
        )?;
        let mut writes = Vec::new();
        let mut taken = Taken {
            acknowledged_more: response.acknowledged_seq > meta.acknowledged_seq,
            ..Taken::default()
        };
        let rejected: BTreeSet<u64> = response.rejections.iter().map(|r| r.seq).collect();
        for rejection in &response.rejections {
            if outbox
                .iter()
                .any(|e| e.seq == rejection.seq && e.is_pending())
            {
                taken.rejected += 1;
            }
            writes.push(Write::Reject(rejection.clone()));
        }
        writes.push(Write::Acknowledge(response.acknowledged_seq));
        for entry in &outbox {
            let settled_now = entry.is_pending()
                && entry.seq <= response.acknowledged_seq
                && sent.seqs.contains(&entry.seq)
                && !rejected.contains(&entry.seq);
            if settled_now {
                writes.push(Write::Record(StoredRecord {
                    change_seq: 0,
                    record: entry.record.clone(),
                }));
                taken.records.push(entry.record.clone());
                writes.push(Write::Settle(entry.seq));
                taken.settled += 1;
            }
        }
        for change in &response.changes {
            writes.push(Write::Record(StoredRecord {
                change_seq: change.seq,
                record: change.record.clone(),
            }));
            taken.records.push(change.record.clone());
        }
        taken.pulled = response.changes.len();
        writes.push(Write::Cursor(response.next_cursor));
        writes.push(Write::LastSuccess(now));
        self.store.apply(&writes).await?;
        Ok(taken)
    }

    /// How many entries wait to be sent, and how many were rejected.
    pub async fn counts(&self) -> Result<(usize, usize), StoreError> {
        let outbox = self.store.outbox().await?;
        let pending = outbox.iter().filter(|e| e.is_pending()).count();
        Ok((pending + self.held_count(), outbox.len() - pending))
    }
}

/// Whether an answer fits the request it answers and what the device has
/// made (`made`: the highest seq this client has used). An answer that does
/// not fit came from something else than our server, or from a server that
/// lost data: it is not taken.
pub fn check_response(sent: &Sent, response: &SyncResponse, made: u64) -> Result<(), TakeError> {
    let bad = |why: &str| Err(TakeError::Unreadable(why.to_string()));
    if response.acknowledged_seq > made {
        return bad("it acknowledges changes this device never made");
    }
    if response
        .rejections
        .iter()
        .any(|r| r.seq == 0 || r.seq > response.acknowledged_seq)
    {
        return bad("it rejects a change it does not acknowledge");
    }
    if response.next_cursor < sent.cursor {
        return bad("its cursor goes backwards");
    }
    let mut last = sent.cursor;
    for change in &response.changes {
        if change.seq <= last || change.seq > response.next_cursor {
            return bad("its changes are out of order");
        }
        last = change.seq;
    }
    Ok(())
}
