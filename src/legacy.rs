//! What versions before IndexedDB kept in `localStorage`, read once so the
//! upgrade loses nothing ([`crate::store::IdbStore::upgrade_from_local_storage`]).
//!
//! Keys: `nv:<user>:meta` (bookkeeping), `nv:<user>:out:<seq, 12 digits>`
//! (outbox entries), `nv:<user>:rec:<kind>:<id>` (records, with the change
//! that brought them; a record written without it is read as change 0).

use naervaer_domain::protocol::Record;
use naervaer_sync::{DeviceStoreError, OutboxEntry, StoredRecord, SyncMeta};
use uuid::Uuid;

use crate::settings::{read_optional, storage_available};

/// One user's data under the old keys.
#[derive(Debug, Default, PartialEq)]
pub struct LegacyData {
    /// The bookkeeping, if it was there.
    pub meta: Option<SyncMeta>,
    /// Outbox entries, in seq order.
    pub outbox: Vec<OutboxEntry>,
    /// Records.
    pub records: Vec<StoredRecord>,
    /// Keys that could not be read (left in place, never deleted).
    pub damaged: Vec<String>,
    /// Keys read, to remove once the data is safely elsewhere.
    pub keys: Vec<String>,
    /// The highest seq named by an outbox key that could not be read: no
    /// later change may take it.
    pub damaged_seq: u64,
}

impl LegacyData {
    /// Whether there was nothing of this user.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.damaged.is_empty()
    }
}

/// A stored record: with its change number, or as an early version wrote it.
fn parse_record(text: &str) -> Option<StoredRecord> {
    if let Ok(stored) = serde_json::from_str::<StoredRecord>(text) {
        return Some(stored);
    }
    serde_json::from_str::<Record>(text)
        .ok()
        .map(|record| StoredRecord {
            change_seq: 0,
            record,
            received_at: None,
        })
}

/// Reads every old key of `user`.
pub fn read(user: Uuid) -> Result<LegacyData, DeviceStoreError> {
    let storage = storage_available()?;
    let prefix = format!("nv:{user}:");
    let (meta_key, out, rec) = (
        format!("{prefix}meta"),
        format!("{prefix}out:"),
        format!("{prefix}rec:"),
    );
    let len = storage
        .length()
        .map_err(|_| DeviceStoreError::Unavailable)?;
    let keys: Vec<String> = (0..len)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(&prefix))
        .collect();
    let mut data = LegacyData::default();
    for key in keys {
        let text = storage
            .get_item(&key)
            .map_err(|_| DeviceStoreError::Unavailable)?
            .unwrap_or_default();
        let ok = if key == meta_key {
            data.meta = read_optional::<SyncMeta>(&key).ok().flatten();
            data.meta.is_some()
        } else if let Some(seq) = key.strip_prefix(&out) {
            let read = serde_json::from_str::<OutboxEntry>(&text)
                .map(|e| data.outbox.push(e))
                .is_ok();
            if !read {
                let seq = seq.parse().unwrap_or(0);
                data.damaged_seq = data.damaged_seq.max(seq);
            }
            read
        } else if key.starts_with(&rec) {
            parse_record(&text).map(|r| data.records.push(r)).is_some()
        } else {
            false
        };
        if ok {
            data.keys.push(key);
        } else {
            data.damaged.push(key);
        }
    }
    data.outbox.sort_by_key(|e| e.seq);
    Ok(data)
}

/// Removes the keys that were read (never a damaged one).
pub fn remove(data: &LegacyData) -> Result<(), DeviceStoreError> {
    let storage = storage_available()?;
    for key in &data.keys {
        storage
            .remove_item(key)
            .map_err(|_| DeviceStoreError::Unavailable)?;
    }
    Ok(())
}
