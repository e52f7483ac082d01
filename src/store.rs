//! The device's store: browser storage through gloo-storage, one key per
//! record and per outbox entry, under a prefix per user, so a write costs the
//! same with 10 records as with 10,000 and users never see each other's data.

use gloo_storage::Storage;
use gloo_storage::errors::StorageError;
use naervaer_domain::sync::Record;
use serde::{Serialize, de::DeserializeOwned};
use thiserror::Error;
use uuid::Uuid;

use crate::data::{LocalData, OutboxEntry, SyncMeta};

/// Why the device's storage failed. Messages are for people (Danish).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum StoreError {
    /// The browser gives no storage (private mode, disabled, or blocked).
    #[error("Browserens lager kan ikke bruges (privat tilstand eller slået fra).")]
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

impl From<StorageError> for StoreError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::JsError(js) if js.name.contains("Quota") => StoreError::Full,
            StorageError::JsError(js) => StoreError::Write(format!("{}: {}", js.name, js.message)),
            StorageError::SerdeError(e) => StoreError::Read(e.to_string()),
            StorageError::KeyNotFound(k) => StoreError::Read(format!("mangler {k}")),
        }
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
    let text = storage_available()?
        .get_item(key)
        .map_err(|_| StoreError::Unavailable)?
        .ok_or_else(|| StoreError::Read(format!("mangler {key}")))?;
    naervaer_domain::json_object::from_str(&text).map_err(|e| StoreError::Read(e.to_string()))
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
        gloo_storage::LocalStorage::set(key, value).map_err(StoreError::from)
    }

    /// Saves a record pulled from the server (or confirmed by it).
    pub fn put_record(&self, record: &Record) -> Result<(), StoreError> {
        self.set(&self.record_key(record), record)
    }

    /// Saves an outbox entry under its own key.
    pub fn put_outbox(&self, entry: &OutboxEntry) -> Result<(), StoreError> {
        self.set(&self.outbox_key(entry.seq), entry)
    }

    /// Removes a settled outbox entry.
    pub fn remove_outbox(&self, seq: u64) -> Result<(), StoreError> {
        storage_available()?;
        gloo_storage::LocalStorage::delete(self.outbox_key(seq));
        Ok(())
    }

    /// Saves the sync bookkeeping.
    pub fn put_meta(&self, meta: &SyncMeta) -> Result<(), StoreError> {
        self.set(&self.meta_key(), meta)
    }

    /// Every key of this user, read once at start.
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

    fn get<T: DeserializeOwned>(key: &str) -> Result<T, StoreError> {
        read_json(key)
    }

    /// Loads everything of this user. An unreadable record is skipped and
    /// counted, so one damaged entry never hides the rest.
    pub fn load(&self) -> Result<(LocalData, usize), StoreError> {
        let mut data = LocalData::default();
        let mut damaged = 0;
        let meta_key = self.meta_key();
        for key in self.keys()? {
            let rest = &key[self.prefix.len()..];
            if key == meta_key {
                match Self::get::<SyncMeta>(&key) {
                    Ok(meta) => data.meta = meta,
                    Err(_) => damaged += 1,
                }
            } else if rest.starts_with("out:") {
                match Self::get::<OutboxEntry>(&key) {
                    Ok(entry) => {
                        data.outbox.insert(entry.seq, entry);
                    }
                    Err(_) => damaged += 1,
                }
            } else if rest.starts_with("rec:") {
                match Self::get::<Record>(&key) {
                    Ok(record) => data.apply(record),
                    Err(_) => damaged += 1,
                }
            }
        }
        Ok((data, damaged))
    }

    /// Deletes every key of this user (at logout, once all is synced).
    pub fn clear(&self) -> Result<(), StoreError> {
        for key in self.keys()? {
            gloo_storage::LocalStorage::delete(key);
        }
        Ok(())
    }
}
