//! The device's store: browser storage through gloo-storage, one key per
//! record and per outbox entry, under a prefix per user, so a write costs the
//! same with 10 records as with 10,000 and users never see each other's data.
//! It implements [`naervaer_sync::DeviceStore`]; every sync decision is made
//! in that crate. localStorage answers at once, so its futures are ready on
//! their first poll.
//!
//! Keys: `nv:<user>:meta` (bookkeeping), `nv:<user>:out:<seq, 12 digits>`
//! (outbox entries), `nv:<user>:rec:<kind>:<id>` (records, with the change
//! that brought them; a record written by an earlier version without it is
//! read as change 0).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gloo_storage::Storage;
use gloo_storage::errors::StorageError;
use naervaer_domain::sync::Record;
use naervaer_sync::store::apply_to_maps;
use naervaer_sync::{DeviceStore, OutboxEntry, StoredRecord, SyncMeta, Write};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use crate::data::LocalData;

pub use naervaer_sync::StoreError;

/// A browser-storage error as a store error (a full quota is `Full`).
pub fn from_storage_error(e: StorageError) -> StoreError {
    match e {
        StorageError::JsError(js) if js.name.contains("Quota") => StoreError::Full,
        StorageError::JsError(js) => StoreError::Write(format!("{}: {}", js.name, js.message)),
        StorageError::SerdeError(e) => StoreError::Read(e.to_string()),
        StorageError::KeyNotFound(k) => StoreError::Read(format!("mangler {k}")),
    }
}

/// The raw browser storage, or `Unavailable` (never a panic).
pub fn storage_available() -> Result<web_sys::Storage, StoreError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StoreError::Unavailable)
}

/// Reads one stored JSON value (structs as objects only, see
/// `naervaer_domain::json_object`).
pub fn read_json<T: DeserializeOwned>(key: &str) -> Result<T, StoreError> {
    read_optional(key)?.ok_or_else(|| StoreError::Read(format!("mangler {key}")))
}

fn read_optional<T: DeserializeOwned>(key: &str) -> Result<Option<T>, StoreError> {
    let Some(text) = storage_available()?
        .get_item(key)
        .map_err(|_| StoreError::Unavailable)?
    else {
        return Ok(None);
    };
    naervaer_domain::json_object::from_str(&text)
        .map(Some)
        .map_err(|e| StoreError::Read(e.to_string()))
}

/// A stored record: with its change number, or as an earlier version wrote it.
fn read_record(key: &str) -> Result<Option<StoredRecord>, StoreError> {
    let Some(text) = storage_available()?
        .get_item(key)
        .map_err(|_| StoreError::Unavailable)?
    else {
        return Ok(None);
    };
    if let Ok(stored) = naervaer_domain::json_object::from_str::<StoredRecord>(&text) {
        return Ok(Some(stored));
    }
    naervaer_domain::json_object::from_str::<Record>(&text)
        .map(|record| {
            Some(StoredRecord {
                change_seq: 0,
                record,
            })
        })
        .map_err(|e| StoreError::Read(e.to_string()))
}

/// The store of one user on this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalStore {
    prefix: String,
}

impl LocalStore {
    /// The store of the user with this id.
    pub fn for_user(user_id: Uuid) -> LocalStore {
        LocalStore {
            prefix: format!("nv:{user_id}:"),
        }
    }

    fn record_key(&self, record: &Record) -> String {
        format!(
            "{}rec:{}:{}",
            self.prefix,
            record.kind().as_str(),
            record.id()
        )
    }

    fn outbox_key(&self, seq: u64) -> String {
        // Zero-padded so keys sort in seq order.
        format!("{}out:{seq:012}", self.prefix)
    }

    fn meta_key(&self) -> String {
        format!("{}meta", self.prefix)
    }

    fn set<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        storage_available()?;
        gloo_storage::LocalStorage::set(key, value).map_err(from_storage_error)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        storage_available()?;
        gloo_storage::LocalStorage::delete(key);
        Ok(())
    }

    /// Every key of this user.
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let storage = storage_available()?;
        let len = storage.length().map_err(|_| StoreError::Unavailable)?;
        let mut keys = Vec::new();
        for i in 0..len {
            if let Ok(Some(key)) = storage.key(i)
                && key.starts_with(&self.prefix)
            {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    fn read_meta(&self) -> Result<SyncMeta, StoreError> {
        Ok(read_optional(&self.meta_key())?.unwrap_or_default())
    }

    /// Outbox entries and records, and how many keys could not be read.
    fn read_all(&self) -> Result<(Vec<OutboxEntry>, Vec<StoredRecord>, usize), StoreError> {
        let (mut outbox, mut records, mut damaged) = (Vec::new(), Vec::new(), 0);
        let out = format!("{}out:", self.prefix);
        let rec = format!("{}rec:", self.prefix);
        for key in self.keys()? {
            if key.starts_with(&out) {
                match read_optional::<OutboxEntry>(&key) {
                    Ok(Some(entry)) => outbox.push(entry),
                    _ => damaged += 1,
                }
            } else if key.starts_with(&rec) {
                match read_record(&key) {
                    Ok(Some(stored)) => records.push(stored),
                    _ => damaged += 1,
                }
            }
        }
        outbox.sort_by_key(|e| e.seq);
        Ok((outbox, records, damaged))
    }

    /// Loads everything of this user for the pages. An unreadable entry is
    /// skipped and counted, so one damaged key never hides the rest.
    pub fn load(&self) -> Result<(LocalData, usize), StoreError> {
        let (outbox, records, mut damaged) = self.read_all()?;
        let mut data = LocalData::default();
        match read_optional::<SyncMeta>(&self.meta_key()) {
            Ok(meta) => data.meta = meta.unwrap_or_default(),
            Err(_) => damaged += 1,
        }
        for entry in outbox {
            data.outbox.insert(entry.seq, entry);
        }
        for stored in records {
            data.apply(stored.record);
        }
        Ok((data, damaged))
    }

    /// Applies one write that touches an outbox entry or a record.
    fn apply_keyed(&self, write: &Write, meta: &mut SyncMeta) -> Result<(), StoreError> {
        let (mut outbox, mut records) = (BTreeMap::new(), BTreeMap::new());
        match write {
            Write::Reject(rejection) => {
                let key = self.outbox_key(rejection.seq);
                if let Some(entry) = read_optional::<OutboxEntry>(&key)? {
                    outbox.insert(entry.seq, entry);
                    apply_to_maps(write, meta, &mut outbox, &mut records);
                    if let Some(entry) = outbox.get(&rejection.seq) {
                        self.set(&key, entry)?;
                    }
                }
            }
            Write::Settle(seq) => {
                let key = self.outbox_key(*seq);
                if let Some(entry) = read_optional::<OutboxEntry>(&key)? {
                    outbox.insert(entry.seq, entry);
                    apply_to_maps(write, meta, &mut outbox, &mut records);
                    if outbox.is_empty() {
                        self.delete(&key)?;
                    }
                }
            }
            Write::Record(stored) => {
                let key = self.record_key(&stored.record);
                let keep_old = read_record(&key)
                    .ok()
                    .flatten()
                    .is_some_and(|old| !old.replaced_by(stored.change_seq));
                if !keep_old {
                    self.set(&key, stored)?;
                }
            }
            Write::Acknowledge(_) | Write::Cursor(_) | Write::LastSuccess(_) => {
                apply_to_maps(write, meta, &mut outbox, &mut records);
            }
        }
        Ok(())
    }
}

impl DeviceStore for LocalStore {
    async fn meta(&self) -> Result<SyncMeta, StoreError> {
        self.read_meta()
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        Ok(self.read_all()?.0)
    }

    async fn records(&self) -> Result<Vec<StoredRecord>, StoreError> {
        Ok(self.read_all()?.1)
    }

    /// The entry is written first, then the seq is remembered as used; a
    /// seq whose key is already taken (a stop between the two writes, or
    /// another window) is passed over, so no entry is ever overwritten.
    async fn append(
        &self,
        record: Record,
        created_at: DateTime<Utc>,
    ) -> Result<OutboxEntry, StoreError> {
        let storage = storage_available()?;
        let mut meta = self.read_meta()?;
        let mut seq = meta.next_seq(0);
        while storage
            .get_item(&self.outbox_key(seq))
            .map_err(|_| StoreError::Unavailable)?
            .is_some()
        {
            seq += 1;
        }
        let entry = OutboxEntry::new(seq, record, created_at);
        self.set(&self.outbox_key(seq), &entry)?;
        meta.last_seq = seq;
        self.set(&self.meta_key(), &meta)?;
        Ok(entry)
    }

    async fn claim_client_id(&self, fresh: Uuid) -> Result<Uuid, StoreError> {
        let mut meta = self.read_meta()?;
        if let Some(id) = meta.client_id {
            return Ok(id);
        }
        meta.client_id = Some(fresh);
        self.set(&self.meta_key(), &meta)?;
        Ok(fresh)
    }

    /// Each write in order, key by key; the bookkeeping (acknowledgement,
    /// cursor) is written once, last, so the cursor never gets ahead of the
    /// records it covers.
    async fn apply(&self, writes: &[Write]) -> Result<(), StoreError> {
        let mut meta = self.read_meta()?;
        let before = meta.clone();
        for write in writes {
            self.apply_keyed(write, &mut meta)?;
        }
        if meta != before {
            self.set(&self.meta_key(), &meta)?;
        }
        Ok(())
    }

    async fn clear(&self) -> Result<(), StoreError> {
        for key in self.keys()? {
            self.delete(&key)?;
        }
        Ok(())
    }
}
