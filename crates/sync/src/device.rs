//! The device's sync decisions over a [`DeviceStore`]: saving into the
//! outbox, building a request, and taking a response.

use std::cell::RefCell;
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::{PROTOCOL_VERSION, Record, scope_keeps};
use naervaer_domain::{SyncRequest, SyncResponse};
use thiserror::Error;
use uuid::Uuid;

use crate::outbox::{OutboxEntry, StoredRecord, SyncMeta};
use crate::store::{DeviceStore, DeviceStoreError, Resend, Write};

/// How many mutations one request pushes.
pub const BATCH: usize = 200;

/// A save the store refused: the record is held in memory and written, in
/// order, before the next save or sync.
pub type SaveError = DeviceStoreError;

/// Why a response was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TakeError {
    /// The answer does not fit what this device sent or holds; nothing was
    /// written, the outbox stays as it was.
    #[error("the server's answer does not fit this device ({0}); nothing was written")]
    Unreadable(String),
    /// Writing what the answer brought failed; what was written is safe to
    /// write again.
    #[error(transparent)]
    Store(#[from] DeviceStoreError),
}

/// What one request carried, to check its answer against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sent {
    /// The cursor sent.
    pub cursor: u64,
    /// The seqs pushed.
    pub seqs: BTreeSet<u64>,
    /// The sync's generation when the request was built.
    pub generation: u64,
    /// The client id it was sent under.
    pub client_id: Uuid,
}

/// How the device found its way back after the server, or its own
/// storage, went back in time or changed under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// The server's feed went back (a database restored from a backup, or
    /// another database): the device pulls everything again.
    FeedRestored,
    /// The server lost changes it had settled: the device sends them again,
    /// under a new client id (this many).
    ChangesSentAgain(usize),
    /// The server holds changes under this device's client id that this
    /// device did not make (a copied tablet, or one whose storage was
    /// restored): the device goes on under a new client id.
    NewClientId,
    /// What this user may see changed (moved to another team): the device
    /// forgets what it held and pulls again.
    ScopeChanged,
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
    /// Pulled changes this app could not read (skipped and counted).
    pub skipped: usize,
    /// Citizens forgotten (moved to a team this user does not see).
    pub forgotten: Vec<Uuid>,
    /// Whether the acknowledgement moved forward.
    pub acknowledged_more: bool,
    /// The answer was to a request built before another window restarted
    /// the sync: nothing of it was taken (it is asked again).
    pub stale: bool,
    /// A restart this answer caused, if any.
    pub recovery: Option<Recovery>,
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
    pub async fn retry_held(&self) -> Result<Vec<OutboxEntry>, DeviceStoreError> {
        let _one_at_a_time = self.saving.lock().await;
        self.write_held().await
    }

    async fn write_held(&self) -> Result<Vec<OutboxEntry>, DeviceStoreError> {
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
    /// the cursor with its tag, what the device holds as acknowledged, and
    /// the oldest pending entries (at most [`BATCH`]).
    pub async fn next_request(&self, fresh: Uuid) -> Result<(SyncRequest, Sent), DeviceStoreError> {
        let claimed = self.store.claim_client_id(fresh).await?;
        let meta = self.store.meta().await?;
        let client_id = meta.client_id.unwrap_or(claimed);
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
            generation: meta.generation,
            client_id,
        };
        let request = SyncRequest {
            protocol: PROTOCOL_VERSION,
            client_id,
            cursor: meta.cursor,
            cursor_tag: meta.cursor_tag,
            pulling: meta.pulling,
            database_id: meta.database_id,
            acknowledged_seq: meta.acknowledged_seq,
            acknowledged_id: meta.acknowledged_id,
            mutations,
            // Pages as large as the server gives: a first sync of a team's
            // working set (about 20,000 records) is 20 requests, not 100.
            limit: Some(naervaer_domain::protocol::MAX_PAGE_SIZE),
        };
        Ok((request, sent))
    }

    /// Takes an answer. An answer to a request built before another window
    /// restarted the sync is not taken at all. Otherwise it is checked
    /// first, and nothing is written when it does not fit. Then, in this
    /// order, so that a crash between any two writes loses nothing:
    /// rejections; the acknowledgement; the pulled records; each sent entry
    /// the server settled without rejecting, as a record (while its citizen
    /// is on the device) and then into the sent log; the cursor; and last,
    /// when the server or this
    /// device's storage went back in time, the restart that recovers
    /// ([`Recovery`]). An entry is settled only on the server's word about
    /// that entry in this answer: an entry another window saved after this
    /// request was built stays pending and is sent again (the server then
    /// repeats its verdict). `fresh` is a new client id, used only if the
    /// device must go on under one.
    pub async fn take_response(
        &self,
        sent: &Sent,
        response: &SyncResponse,
        now: DateTime<Utc>,
        fresh: Uuid,
    ) -> Result<Taken, TakeError> {
        let meta = self.store.meta().await?;
        if meta.generation != sent.generation || meta.client_id != Some(sent.client_id) {
            return Ok(Taken {
                stale: true,
                ..Taken::default()
            });
        }
        let outbox = self.store.outbox().await?;
        let outbox_max = outbox.last().map_or(0, |e| e.seq);
        let made = (meta.next_seq(outbox_max) - 1).max(sent.seqs.last().copied().unwrap_or(0));
        let restart = restart_for(&meta, response, made);
        let feed_restart = matches!(
            restart,
            Some(Recovery::FeedRestored | Recovery::ScopeChanged)
        );
        check_response(sent, response, feed_restart)?;
        let mut writes = vec![Write::Guard(meta.generation)];
        // Settled entries are written after the pulled records (their
        // citizen may come in this very answer), before the cursor.
        let mut settles = Vec::new();
        let mut taken = Taken {
            acknowledged_more: response.acknowledged_seq > meta.acknowledged_seq,
            recovery: restart,
            ..Taken::default()
        };
        // The server's word on each pushed seq is about this very change:
        // it compares a settled seq's content with what it settled.
        {
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
            if let Some(entry) = outbox.iter().find(|e| e.seq == response.acknowledged_seq) {
                writes.push(Write::AcknowledgedId {
                    seq: entry.seq,
                    id: entry.record.id(),
                });
            }
            // A reused seq: what was pushed before it is settled, it and
            // what follows go on under a new client id.
            let verified = response.seq_reused.unwrap_or(u64::MAX);
            for entry in &outbox {
                let settled_now = entry.is_pending()
                    && entry.seq <= response.acknowledged_seq
                    && entry.seq < verified
                    && sent.seqs.contains(&entry.seq)
                    && !rejected.contains(&entry.seq);
                if settled_now {
                    if !entry.resent {
                        settles.push(Write::Own(entry.record.clone()));
                        taken.records.push(entry.record.clone());
                    }
                    // The sent log is kept by the server's clock, as
                    // retention is: a device clock days off must not
                    // shorten it.
                    settles.push(Write::Settle {
                        seq: entry.seq,
                        at: response.server_time,
                    });
                    taken.settled += 1;
                }
            }
        }
        if !feed_restart {
            let keeps = |record: &Record| match record {
                Record::Citizen(c) => response.scope.is_empty() || scope_keeps(&response.scope, c),
                _ => true,
            };
            if !response.changes.is_empty() && response.next_cursor > meta.cursor {
                writes.push(Write::Pulling {
                    cursor: response.next_cursor,
                    tag: response.cursor_tag,
                });
            }
            for change in &response.changes {
                match &change.record {
                    Some(record) if keeps(record) => {
                        // A change rejected here, applied since (sent
                        // again by a copy of this tablet): its verdict is
                        // the server's record now.
                        if let Some(entry) = outbox
                            .iter()
                            .find(|e| !e.is_pending() && e.record.id() == record.id())
                        {
                            writes.push(Write::Confirmed {
                                seq: entry.seq,
                                at: response.server_time,
                            });
                        }
                        writes.push(Write::Record(StoredRecord {
                            change_seq: change.seq,
                            record: record.clone(),
                            received_at: change.received_at,
                        }));
                        taken.records.push(record.clone());
                        taken.pulled += 1;
                    }
                    Some(record) => {
                        // A citizen who moved to a team this user does not
                        // see: she and everything of hers leave the device.
                        writes.push(Write::ForgetCitizen {
                            citizen: record.id(),
                            change_seq: change.seq,
                        });
                        taken.forgotten.push(record.id());
                    }
                    None => taken.skipped += 1,
                }
            }
            if taken.skipped > 0 {
                writes.push(Write::Skipped(taken.skipped as u64));
            }
            writes.append(&mut settles);
            writes.push(Write::Cursor {
                cursor: response.next_cursor,
                tag: response.cursor_tag,
            });
            writes.push(Write::Identity {
                database_id: response.database_id,
                scope: response.scope.clone(),
            });
        }
        writes.append(&mut settles);
        writes.push(Write::LastSuccess(now));
        match restart {
            None => {}
            Some(Recovery::ScopeChanged) => writes.push(Write::Rebase {
                database_id: response.database_id,
                scope: response.scope.clone(),
            }),
            Some(Recovery::FeedRestored) => {
                writes.push(Write::Rebase {
                    database_id: response.database_id,
                    scope: response.scope.clone(),
                });
                // The feed went back: whatever the server settled since
                // may be gone, under this client id or an earlier one.
                // Every settled change is sent again (the server keeps
                // each record once), under a new client id.
                writes.push(Write::NewClient {
                    client_id: fresh,
                    resend: Resend::Everything,
                    at: response.server_time,
                });
            }
            Some(Recovery::ChangesSentAgain(_)) => {
                // Every settled change is sent again, even those up to what
                // the server still acknowledges: a copy of this tablet may
                // have sent other changes under the same numbers since the
                // server went back. The server keeps each record once.
                let again = self.store.sent().await?.len();
                taken.recovery = Some(Recovery::ChangesSentAgain(again));
                writes.push(Write::NewClient {
                    client_id: fresh,
                    resend: Resend::Everything,
                    at: response.server_time,
                });
            }
            Some(Recovery::NewClientId) => writes.push(Write::NewClient {
                client_id: fresh,
                resend: Resend::Nothing,
                at: response.server_time,
            }),
        }
        self.store.apply(&writes).await?;
        Ok(taken)
    }

    /// How many entries wait to be sent, and how many were rejected.
    pub async fn counts(&self) -> Result<(usize, usize), DeviceStoreError> {
        let outbox = self.store.outbox().await?;
        let pending = outbox.iter().filter(|e| e.is_pending()).count();
        Ok((pending + self.held_count(), outbox.len() - pending))
    }
}

/// Whether the answer says that the server, or this device's storage, went
/// back in time or changed under the device, and so which restart recovers
/// (`made`: the highest seq this client has used).
pub fn restart_for(meta: &SyncMeta, response: &SyncResponse, made: u64) -> Option<Recovery> {
    let other_database = meta.database_id.is_some()
        && response.database_id.is_some()
        && meta.database_id != response.database_id;
    if response.feed_lost || other_database {
        Some(Recovery::FeedRestored)
    } else if response.seqs_lost || response.gap.is_some() {
        Some(Recovery::ChangesSentAgain(0))
    } else if response.seq_reused.is_some() || response.acknowledged_seq > made {
        Some(Recovery::NewClientId)
    } else if meta
        .scope
        .as_deref()
        .is_some_and(|scope| !response.scope.is_empty() && scope != response.scope)
    {
        Some(Recovery::ScopeChanged)
    } else {
        None
    }
}

/// Whether an answer fits the request it answers. An answer that does not
/// fit came from something else than our server: it is not taken. When the
/// answer restarts the feed (`feed_restart`) its cursor is not used.
pub fn check_response(
    sent: &Sent,
    response: &SyncResponse,
    feed_restart: bool,
) -> Result<(), TakeError> {
    let bad = |why: &str| Err(TakeError::Unreadable(why.to_string()));
    if response
        .rejections
        .iter()
        .any(|r| r.seq == 0 || r.seq > response.acknowledged_seq)
    {
        return bad("it rejects a change it does not acknowledge");
    }
    if feed_restart {
        return Ok(());
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
