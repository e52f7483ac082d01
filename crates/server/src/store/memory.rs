//! The in-memory store: for tests and the simulation, never for real data.
//! It passes the same conformance suite as SQLite. A transaction works on a
//! copy of the state and replaces it at commit, so dropping one (a crash in
//! the middle of a push) leaves nothing of it; writers take turns.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use naervaer_domain::activity::{Activity, Booking};
use naervaer_domain::clips::{ClipCard, ClipEntry, ClipPolicy};
use naervaer_domain::protocol::Record;
use naervaer_domain::{ChangeKind, Rejection, User};
use tokio::sync::{Mutex, OwnedMutexGuard};
use uuid::Uuid;

use crate::account_log::AccountEvent;
use crate::sessions::SessionTimes;

use super::{
    Audience, AuditEntry, Credentials, DataKey, FeedRow, Keep, LoginTicket, Scope, SentRow,
    SessionOwner, Settled, Store, StoreError, Tx, tag_from,
};

/// Mixes a counter's bits (splitmix64), for tags that look random but
/// replay alike.
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[derive(Debug, Clone, Default)]
struct State {
    users: BTreeMap<String, Credentials>,
    sessions: BTreeMap<String, (Uuid, SessionTimes)>,
    account_log: Vec<AccountEvent>,
    tickets: BTreeMap<String, LoginTicket>,
    subjects: BTreeMap<Uuid, String>,
    /// Disabled accounts.
    disabled: BTreeSet<Uuid>,
    teams: BTreeMap<Uuid, String>,
    records: BTreeMap<(&'static str, Uuid), Record>,
    flags: BTreeSet<(Uuid, String)>,
    clients: BTreeMap<Uuid, (Uuid, u64)>,
    settled: BTreeMap<(Uuid, u64), Settled>,
    rejections: BTreeMap<(Uuid, u64), Rejection>,
    feed: Vec<FeedRow>,
    audit: Vec<AuditEntry>,
    data_keys: BTreeMap<Uuid, DataKey>,
}

/// Everything in memory. Clones share one store (as a restarted server
/// finds its database again).
#[derive(Clone)]
pub struct MemoryStore {
    state: Arc<Mutex<State>>,
    clip_policy: ClipPolicy,
    undone: Arc<AtomicU64>,
    open: Arc<AtomicU64>,
    pause: std::time::Duration,
    database_id: Uuid,
    /// Feed rows ever written, across restores: each row's tag is made
    /// from it, so a row written after a restore never has the tag of the
    /// row its number had before.
    written: Arc<AtomicU64>,
}

/// A copy of a memory store's data, to restore later (a backup).
#[derive(Clone)]
pub struct MemorySnapshot(State);

impl MemorySnapshot {
    /// The number of the feed's last row in the copy.
    pub fn head(&self) -> u64 {
        self.0.feed.last().map_or(0, |r| r.seq)
    }
}

/// A transaction: a working copy, and the lock that makes writers take turns.
pub struct MemoryTx {
    work: State,
    guard: OwnedMutexGuard<State>,
    committed: bool,
    undone: Arc<AtomicU64>,
    open: Arc<AtomicU64>,
    pause: std::time::Duration,
    written: Arc<AtomicU64>,
}

impl Drop for MemoryTx {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
        if !self.committed {
            self.undone.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl MemoryStore {
    /// An empty store under the municipality's klippekort policy.
    pub fn new(clip_policy: ClipPolicy) -> MemoryStore {
        MemoryStore {
            state: Arc::new(Mutex::new(State::default())),
            clip_policy,
            undone: Arc::new(AtomicU64::new(0)),
            open: Arc::new(AtomicU64::new(0)),
            pause: std::time::Duration::ZERO,
            database_id: Uuid::new_v4(),
            written: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The same store with this database identity (a simulation's is
    /// fixed, so that a seed replays alike).
    pub fn with_database_id(mut self, id: Uuid) -> MemoryStore {
        self.database_id = id;
        self
    }

    /// A copy of everything stored now (a backup), or `None` while a
    /// transaction is open.
    pub fn snapshot(&self) -> Option<MemorySnapshot> {
        self.state
            .try_lock()
            .ok()
            .map(|state| MemorySnapshot(state.clone()))
    }

    /// Puts a backup back: everything written since it is gone (a database
    /// restored, or failed over to a replica that lagged). `false` while a
    /// transaction is open (stop the server first).
    pub fn restore(&self, snapshot: &MemorySnapshot) -> bool {
        match self.state.try_lock() {
            Ok(mut state) => {
                *state = snapshot.0.clone();
                true
            }
            Err(_) => false,
        }
    }

    /// The number of the feed's last row (0 when empty).
    pub async fn head(&self) -> u64 {
        self.state.lock().await.feed.last().map_or(0, |r| r.seq)
    }

    /// How many transactions are open right now.
    pub fn open_transactions(&self) -> u64 {
        self.open.load(Ordering::Relaxed)
    }

    /// The same store, taking `pause` of (simulated) time for each write in
    /// a transaction, so a stop can land in the middle of a push.
    pub fn with_pause(mut self, pause: std::time::Duration) -> MemoryStore {
        self.pause = pause;
        self
    }

    /// How many transactions ended without a commit (undone whole: a push
    /// that failed, or a server stopped in the middle of one).
    pub fn undone(&self) -> u64 {
        self.undone.load(Ordering::Relaxed)
    }
}

/// A pause inside a transaction, so a simulated crash can land in the middle.
async fn pause(length: std::time::Duration) {
    if length.is_zero() {
        tokio::task::yield_now().await;
    } else {
        tokio::time::sleep(length).await;
    }
}

impl Tx for MemoryTx {
    async fn commit(mut self) -> Result<(), StoreError> {
        *self.guard = std::mem::take(&mut self.work);
        self.committed = true;
        Ok(())
    }

    async fn client(&mut self, client_id: Uuid) -> Result<Option<(Uuid, u64)>, StoreError> {
        Ok(self.work.clients.get(&client_id).copied())
    }

    async fn insert_client(&mut self, client_id: Uuid, user_id: Uuid) -> Result<(), StoreError> {
        // As the SQL stores' foreign key: a client id is a known user's.
        if !self.work.users.values().any(|c| c.user.id == user_id) {
            return Err(StoreError::Missing("user"));
        }
        self.work.clients.insert(client_id, (user_id, 0));
        Ok(())
    }

    async fn settled(
        &mut self,
        client_id: Uuid,
        seqs: &[u64],
    ) -> Result<std::collections::HashMap<u64, Settled>, StoreError> {
        Ok(seqs
            .iter()
            .filter_map(|seq| {
                self.work
                    .settled
                    .get(&(client_id, *seq))
                    .map(|settled| (*seq, settled.clone()))
            })
            .collect())
    }

    async fn insert_settled(
        &mut self,
        client_id: Uuid,
        rows: &[(u64, Settled)],
    ) -> Result<(), StoreError> {
        for (seq, settled) in rows {
            self.work.settled.insert((client_id, *seq), settled.clone());
        }
        Ok(())
    }

    async fn set_last_seq(&mut self, client_id: Uuid, seq: u64) -> Result<(), StoreError> {
        if let Some(client) = self.work.clients.get_mut(&client_id) {
            client.1 = seq;
        }
        Ok(())
    }

    async fn rejection(
        &mut self,
        client_id: Uuid,
        seq: u64,
    ) -> Result<Option<Rejection>, StoreError> {
        Ok(self.work.rejections.get(&(client_id, seq)).cloned())
    }

    async fn insert_rejection(
        &mut self,
        client_id: Uuid,
        rejection: &Rejection,
    ) -> Result<(), StoreError> {
        self.work
            .rejections
            .insert((client_id, rejection.seq), rejection.clone());
        Ok(())
    }

    async fn citizen_team(&mut self, citizen_id: Uuid) -> Result<Option<String>, StoreError> {
        Ok(self.work.teams.get(&citizen_id).cloned())
    }

    async fn find(&mut self, kind: ChangeKind, id: Uuid) -> Result<Option<Record>, StoreError> {
        Ok(self.work.records.get(&(kind.as_str(), id)).cloned())
    }

    async fn insert(&mut self, record: &Record) -> Result<(), StoreError> {
        let key = (record.kind().as_str(), record.id());
        if self.work.records.contains_key(&key) {
            return Err(StoreError::Corrupt(format!(
                "{} {} stored twice",
                key.0, key.1
            )));
        }
        // As the SQL stores' foreign keys: a record names a stored citizen,
        // and a clip entry a stored card.
        match record {
            Record::Citizen(c) => {
                self.work.teams.insert(c.id, c.team.clone());
            }
            other => {
                if let Some(citizen) = other.citizen_id()
                    && !self.work.teams.contains_key(&citizen)
                {
                    return Err(StoreError::Missing("citizen"));
                }
            }
        }
        if let Record::ClipEntry(e) = record
            && !self
                .work
                .records
                .contains_key(&(ChangeKind::ClipCard.as_str(), e.card_id))
        {
            return Err(StoreError::Missing("clip card"));
        }
        self.work.records.insert(key, record.clone());
        pause(self.pause).await;
        Ok(())
    }

    async fn update_card(&mut self, card: &ClipCard) -> Result<(), StoreError> {
        self.work.records.insert(
            (ChangeKind::ClipCard.as_str(), card.id),
            Record::ClipCard(card.clone()),
        );
        Ok(())
    }

    async fn ledger(&mut self, card_id: Uuid) -> Result<Vec<ClipEntry>, StoreError> {
        Ok(self
            .work
            .records
            .values()
            .filter_map(|r| match r {
                Record::ClipEntry(e) if e.card_id == card_id => Some(e.clone()),
                _ => None,
            })
            .collect())
    }

    async fn insert_flag(&mut self, entry_id: Uuid, code: &str) -> Result<(), StoreError> {
        self.work.flags.insert((entry_id, code.to_string()));
        Ok(())
    }

    async fn card_flags(&mut self, card_id: Uuid) -> Result<Vec<(Uuid, String)>, StoreError> {
        let records = &self.work.records;
        Ok(self
            .work
            .flags
            .iter()
            .filter(|(entry, _)| {
                matches!(
                    records.get(&(ChangeKind::ClipEntry.as_str(), *entry)),
                    Some(Record::ClipEntry(e)) if e.card_id == card_id
                )
            })
            .cloned()
            .collect())
    }

    async fn activity_revisions(&mut self, activity_id: Uuid) -> Result<Vec<Activity>, StoreError> {
        Ok(self
            .work
            .records
            .values()
            .filter_map(|r| match r {
                Record::Activity(a) if a.activity_id == activity_id => Some(a.clone()),
                _ => None,
            })
            .collect())
    }

    async fn bookings_at(
        &mut self,
        activity_id: Uuid,
        occurrence_start: DateTime<Utc>,
    ) -> Result<Vec<Booking>, StoreError> {
        Ok(self
            .work
            .records
            .values()
            .filter_map(|r| match r {
                Record::Booking(b)
                    if b.activity_id == activity_id && b.occurrence_start == occurrence_start =>
                {
                    Some(b.clone())
                }
                _ => None,
            })
            .collect())
    }

    async fn append_change(
        &mut self,
        record: &Record,
        audience: &Audience,
        received_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let seq = self.work.feed.last().map_or(0, |r| r.seq) + 1;
        let written = self.written.fetch_add(1, Ordering::Relaxed);
        self.work.feed.push(FeedRow {
            seq,
            audience: audience.clone(),
            record: record.clone(),
            received_at,
            tag: tag_from(mix(written)),
        });
        pause(self.pause).await;
        Ok(())
    }

    async fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.work.audit.push(entry.clone());
        Ok(())
    }

    async fn citizen_changes(&mut self, citizen_id: Uuid) -> Result<Vec<FeedRow>, StoreError> {
        let mut newest: BTreeMap<(&'static str, Uuid), &FeedRow> = BTreeMap::new();
        for row in &self.work.feed {
            if row.record.citizen_id() == Some(citizen_id) {
                newest.insert((row.record.kind().as_str(), row.record.id()), row);
            }
        }
        let mut rows: Vec<FeedRow> = newest.into_values().cloned().collect();
        rows.sort_by_key(|r| r.seq);
        Ok(rows)
    }

    async fn move_citizen(
        &mut self,
        citizen_id: Uuid,
        from: &str,
        to: &str,
    ) -> Result<(), StoreError> {
        self.work.teams.insert(citizen_id, to.to_string());
        if let Some(Record::Citizen(c)) = self
            .work
            .records
            .get_mut(&(ChangeKind::Citizen.as_str(), citizen_id))
        {
            c.team = to.to_string();
        }
        for row in &mut self.work.feed {
            if let Audience::Citizen {
                citizen_id: c,
                team,
            } = &mut row.audience
                && *c == citizen_id
                && team == from
            {
                *team = to.to_string();
            }
        }
        pause(self.pause).await;
        Ok(())
    }
}

impl Store for MemoryStore {
    type Tx = MemoryTx;

    async fn begin(&self) -> Result<MemoryTx, StoreError> {
        let guard = self.state.clone().lock_owned().await;
        Ok(MemoryTx {
            work: guard.clone(),
            guard,
            committed: false,
            undone: self.undone.clone(),
            open: {
                self.open.fetch_add(1, Ordering::Relaxed);
                self.open.clone()
            },
            pause: self.pause,
            written: self.written.clone(),
        })
    }

    fn clip_policy(&self) -> &ClipPolicy {
        &self.clip_policy
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        Ok(self.state.lock().await.users.get(username).cloned())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: Uuid,
        times: &SessionTimes,
    ) -> Result<(), StoreError> {
        let mut state = self.state.lock().await;
        state
            .sessions
            .insert(token_hash.to_string(), (user_id, *times));
        Ok(())
    }

    async fn touch_session(
        &self,
        token_hash: &str,
        idle_until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if let Some((_, times)) = self.state.lock().await.sessions.get_mut(token_hash) {
            times.idle_until = Some(idle_until);
        }
        Ok(())
    }

    async fn record_account_event(&self, event: &AccountEvent) -> Result<(), StoreError> {
        self.state.lock().await.account_log.push(event.clone());
        Ok(())
    }

    async fn account_events(&self, limit: u32) -> Result<Vec<AccountEvent>, StoreError> {
        let state = self.state.lock().await;
        Ok(state
            .account_log
            .iter()
            .rev()
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn put_ticket(
        &self,
        ticket: &LoginTicket,
        older_than: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut state = self.state.lock().await;
        state.tickets.retain(|_, t| t.created_at >= older_than);
        state.tickets.insert(ticket.id_hash.clone(), ticket.clone());
        Ok(())
    }

    async fn take_ticket(
        &self,
        kind: &str,
        id_hash: &str,
        binding_hash: &str,
    ) -> Result<Option<LoginTicket>, StoreError> {
        let mut state = self.state.lock().await;
        let ours = state
            .tickets
            .get(id_hash)
            .is_some_and(|t| t.kind == kind && t.binding_hash == binding_hash);
        Ok(if ours {
            state.tickets.remove(id_hash)
        } else {
            None
        })
    }

    async fn municipal_subject(&self, user_id: Uuid) -> Result<Option<String>, StoreError> {
        Ok(self.state.lock().await.subjects.get(&user_id).cloned())
    }

    async fn set_municipal_subject(
        &self,
        user_id: Uuid,
        subject: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut state = self.state.lock().await;
        match subject {
            Some(s) => state.subjects.insert(user_id, s.to_owned()),
            None => state.subjects.remove(&user_id),
        };
        Ok(())
    }

    async fn set_password_hash(
        &self,
        username: &str,
        password_hash: &str,
    ) -> Result<User, StoreError> {
        let mut state = self.state.lock().await;
        let credentials = state
            .users
            .get_mut(username)
            .ok_or(StoreError::Missing("user"))?;
        credentials.password_hash = password_hash.to_owned();
        let user = credentials.user.clone();
        state.sessions.retain(|_, (owner, _)| *owner != user.id);
        Ok(user)
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.state.lock().await.sessions.remove(token_hash);
        Ok(())
    }

    async fn data_key(&self, user_id: Uuid, fresh: DataKey) -> Result<DataKey, StoreError> {
        let mut state = self.state.lock().await;
        if !state.users.values().any(|c| c.user.id == user_id) {
            return Err(StoreError::Missing("user"));
        }
        Ok(state.data_keys.entry(user_id).or_insert(fresh).clone())
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SessionOwner, SessionTimes)>, StoreError> {
        let state = self.state.lock().await;
        let Some((user_id, times)) = state.sessions.get(token_hash) else {
            return Ok(None);
        };
        let disabled = state.disabled.contains(user_id);
        if !times.is_live(now) && !disabled {
            return Ok(None);
        }
        Ok(state
            .users
            .values()
            .find(|c| c.user.id == *user_id)
            .map(|c| match disabled {
                true => (SessionOwner::Disabled(c.user.clone()), *times),
                false => (SessionOwner::Active(c.user.clone()), *times),
            }))
    }

    async fn set_disabled(
        &self,
        username: &str,
        at: Option<DateTime<Utc>>,
    ) -> Result<User, StoreError> {
        let mut state = self.state.lock().await;
        let user = state
            .users
            .get(username)
            .map(|c| c.user.clone())
            .ok_or(StoreError::Missing("user"))?;
        if at.is_some() {
            state.disabled.insert(user.id);
        } else {
            state.disabled.remove(&user.id);
            state.sessions.retain(|_, (owner, _)| *owner != user.id);
        }
        Ok(user)
    }

    async fn is_disabled(&self, user_id: Uuid) -> Result<bool, StoreError> {
        Ok(self.state.lock().await.disabled.contains(&user_id))
    }

    async fn changes_after(
        &self,
        scope: &Scope,
        cursor: u64,
        limit: u32,
        keep: &Keep,
    ) -> Result<Vec<SentRow>, StoreError> {
        let state = self.state.lock().await;
        state
            .feed
            .iter()
            .skip(state.feed.partition_point(|r| r.seq <= cursor))
            .filter(|r| r.audience.visible_to(scope) && keep.keeps(&r.record, r.received_at))
            .take(limit as usize)
            .map(|row| {
                let record = serde_json::value::to_raw_value(&row.record)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(SentRow {
                    seq: row.seq,
                    audience: row.audience.clone(),
                    record,
                    received_at: row.received_at,
                    tag: row.tag,
                })
            })
            .collect()
    }

    async fn feed_tag(&self, seq: u64) -> Result<Option<u64>, StoreError> {
        let state = self.state.lock().await;
        let at = state.feed.partition_point(|r| r.seq < seq);
        Ok(state.feed.get(at).filter(|r| r.seq == seq).map(|r| r.tag))
    }

    fn database_id(&self) -> Uuid {
        self.database_id
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.state.lock().await.users.is_empty())
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        Ok(self
            .state
            .lock()
            .await
            .users
            .values()
            .map(|c| c.user.clone())
            .collect())
    }

    async fn set_user_team(&self, user_id: Uuid, team: Option<&str>) -> Result<(), StoreError> {
        let mut state = self.state.lock().await;
        for credentials in state.users.values_mut() {
            if credentials.user.id == user_id {
                credentials.user.team = team.map(str::to_string);
            }
        }
        Ok(())
    }

    async fn insert_user(&self, credentials: &Credentials) -> Result<(), StoreError> {
        let mut state = self.state.lock().await;
        state
            .users
            .insert(credentials.user.username.clone(), credentials.clone());
        Ok(())
    }

    async fn note_count(&self) -> Result<u64, StoreError> {
        let state = self.state.lock().await;
        Ok(state
            .records
            .keys()
            .filter(|(kind, _)| *kind == ChangeKind::Note.as_str())
            .count() as u64)
    }

    async fn audit_of(&self, citizen_id: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
        let state = self.state.lock().await;
        Ok(state
            .audit
            .iter()
            .filter(|a| a.citizen_id == citizen_id)
            .cloned()
            .collect())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
