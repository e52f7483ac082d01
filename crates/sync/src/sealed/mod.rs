//! A [`DeviceStore`] whose every row is sealed: records, outbox entries,
//! sent-log entries and the bookkeeping are encrypted with the user's data
//! key before they reach the device's storage, and opened when read. Keys
//! are seqs, random ids and `meta`, so the storage tells nothing of a
//! citizen. This is the one place encryption happens: the app's IndexedDB
//! store and the tests' memory store keep only sealed bytes ([`RowStore`]),
//! and the cipher is Web Crypto in the browser or [`SoftwareCipher`] natively
//! ([`RowCipher`]). Every sync decision stays in [`crate::Device`]; the
//! meaning of each write stays in [`crate::store::apply_all`].
//!
//! IndexedDB cannot wait for Web Crypto inside a transaction, so a write
//! that depends on what it read (append, apply) reads in one transaction,
//! seals, and writes in a second, holding the store's lock
//! ([`RowStore::exclusive`]) across both, so no other window writes between.

mod cipher;
mod rows;

use std::collections::BTreeMap;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use serde::de::DeserializeOwned;
use uuid::Uuid;

#[cfg(feature = "software-cipher")]
pub use cipher::SoftwareCipher;
pub use cipher::{
    BLIND_KEY_INFO, CipherError, FORMAT, NONCE_LEN, ROW_KEY_INFO, RowCipher, Sealing, TAG_LEN,
    join, parts,
};
pub use rows::{MemoryRows, RowChange, RowKey, RowStore, RowsSnapshot, Table};

use crate::outbox::{OutboxEntry, SentEntry, StoredRecord, SyncMeta};
use crate::store::{DeviceStore, DeviceStoreError, Maps, Write, apply_all};

/// A device store that seals every row with one user's data key.
#[derive(Debug)]
pub struct SealedStore<R, C> {
    rows: R,
    cipher: Rc<C>,
    user: Uuid,
}

impl<R: Clone, C> Clone for SealedStore<R, C> {
    fn clone(&self) -> Self {
        SealedStore {
            rows: self.rows.clone(),
            cipher: self.cipher.clone(),
            user: self.user,
        }
    }
}

/// What a whole read found: everything that opened, and how many rows did
/// not (changed, moved, or sealed under another key); one bad row never
/// hides the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Opened {
    /// Everything that opened.
    pub maps: Maps,
    /// Rows that did not open or read.
    pub damaged: usize,
}

fn cipher_error(e: CipherError) -> DeviceStoreError {
    match e {
        CipherError::Locked => DeviceStoreError::Locked,
        other => DeviceStoreError::Read(other.to_string()),
    }
}

impl<R: RowStore, C: RowCipher> SealedStore<R, C> {
    /// The store of `user` over `rows`, sealed with `cipher` (which holds
    /// that user's unlocked data key).
    pub fn new(rows: R, cipher: Rc<C>, user: Uuid) -> SealedStore<R, C> {
        SealedStore { rows, cipher, user }
    }

    /// The rows underneath (what the device's storage holds).
    pub fn rows(&self) -> &R {
        &self.rows
    }

    /// The cipher (the user's unlocked keys), to seal what is kept beside
    /// the store.
    pub fn cipher(&self) -> &C {
        &self.cipher
    }

    /// The associated data of a row: user, table and key, so a row opens
    /// only where it was written.
    fn aad(&self, table: Table, key: RowKey) -> Vec<u8> {
        format!("naervaer/{FORMAT}/{}/{}/{key}", self.user, table.name()).into_bytes()
    }

    /// Seals values into row changes (one batch for the cipher).
    async fn seal(
        &self,
        values: Vec<(Table, RowKey, &dyn erased::Value)>,
    ) -> Result<Vec<RowChange>, DeviceStoreError> {
        let mut places = Vec::with_capacity(values.len());
        let mut batch = Vec::with_capacity(values.len());
        for (table, key, value) in values {
            let bytes = value
                .json()
                .map_err(|e| DeviceStoreError::Write(e.to_string()))?;
            batch.push(Sealing {
                aad: self.aad(table, key),
                bytes,
            });
            places.push((table, key));
        }
        let sealed = self.cipher.seal(batch).await.map_err(cipher_error)?;
        Ok(places
            .into_iter()
            .zip(sealed)
            .map(|((table, key), value)| RowChange {
                table,
                key,
                value: Some(value),
            })
            .collect())
    }

    /// Opens rows of one table: each row's value, or `None` where it did
    /// not open or read. A locked key is an error for all.
    async fn open<T: DeserializeOwned>(
        &self,
        table: Table,
        rows: Vec<(RowKey, Vec<u8>)>,
    ) -> Result<Vec<Option<T>>, DeviceStoreError> {
        let batch = rows
            .into_iter()
            .map(|(key, bytes)| Sealing {
                aad: self.aad(table, key),
                bytes,
            })
            .collect();
        let mut values = Vec::new();
        for opened in self.cipher.open(batch).await {
            match opened {
                // Read as text: the app reads JSON from text everywhere else,
                // and one reader of each type is a smaller download than two.
                Ok(plain) => values.push(
                    std::str::from_utf8(&plain)
                        .ok()
                        .and_then(|text| serde_json::from_str(text).ok()),
                ),
                Err(CipherError::Locked) => return Err(DeviceStoreError::Locked),
                // The browser's cipher failing is not a damaged row.
                Err(CipherError::Failed(why)) => return Err(DeviceStoreError::Read(why)),
                Err(_) => values.push(None),
            }
        }
        Ok(values)
    }

    /// The row keys of these ids (blinded, in the same order).
    async fn blind(&self, ids: &[Uuid]) -> Result<Vec<RowKey>, DeviceStoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let blinded = self
            .cipher
            .blind(ids.to_vec())
            .await
            .map_err(cipher_error)?;
        Ok(blinded.into_iter().map(RowKey::Blind).collect())
    }

    async fn read_meta(&self) -> Result<SyncMeta, DeviceStoreError> {
        let row = self.rows.get(Table::Meta, &[RowKey::Meta]).await?;
        match row.into_iter().next().flatten() {
            None => Ok(SyncMeta::default()),
            Some(bytes) => self
                .open::<SyncMeta>(Table::Meta, vec![(RowKey::Meta, bytes)])
                .await?
                .into_iter()
                .next()
                .flatten()
                .ok_or_else(|| DeviceStoreError::Read("the bookkeeping did not open".into())),
        }
    }

    /// Every value of a table, all of which must open: a restart rewrites
    /// whole tables, and a row that does not open (changed, or sealed under
    /// another key) may be a waiting change that must not be written over.
    async fn read_whole<T: DeserializeOwned>(
        &self,
        table: Table,
    ) -> Result<Vec<T>, DeviceStoreError> {
        let rows = self.rows.all(table).await?;
        let count = rows.len();
        let opened: Vec<T> = self.opened(table, rows).await?;
        if opened.len() < count {
            return Err(DeviceStoreError::Read(format!(
                "{} rows of {} do not open: not rewriting it",
                count - opened.len(),
                table.name()
            )));
        }
        Ok(opened)
    }

    /// The values of these rows that open.
    async fn opened<T: DeserializeOwned>(
        &self,
        table: Table,
        rows: Vec<(RowKey, Vec<u8>)>,
    ) -> Result<Vec<T>, DeviceStoreError> {
        Ok(self
            .open(table, rows)
            .await?
            .into_iter()
            .flatten()
            .collect())
    }

    /// Every value of a table that opens.
    async fn read_table<T: DeserializeOwned>(
        &self,
        table: Table,
    ) -> Result<Vec<T>, DeviceStoreError> {
        let rows = self.rows.all(table).await?;
        self.opened(table, rows).await
    }

    /// The values with these keys that are stored and open.
    async fn read_keys<T: DeserializeOwned>(
        &self,
        table: Table,
        keys: Vec<RowKey>,
    ) -> Result<Vec<T>, DeviceStoreError> {
        let found = self.rows.get(table, &keys).await?;
        let rows = keys
            .into_iter()
            .zip(found)
            .filter_map(|(key, row)| row.map(|bytes| (key, bytes)))
            .collect();
        self.opened(table, rows).await
    }

    /// A whole table opened into a map by `key`, and how many rows did not
    /// open.
    async fn open_table<K: Ord, T: DeserializeOwned>(
        &self,
        table: Table,
        key: impl Fn(&T) -> K,
    ) -> Result<(BTreeMap<K, T>, usize), DeviceStoreError> {
        let rows = self.rows.all(table).await?;
        let mut map = BTreeMap::new();
        let mut damaged = 0;
        for value in self.open::<T>(table, rows).await? {
            match value {
                Some(v) => {
                    map.insert(key(&v), v);
                }
                None => damaged += 1,
            }
        }
        Ok((map, damaged))
    }

    /// Everything of this user, opened, with a count of rows that did not
    /// open (the app loads its pages from this).
    pub async fn open_everything(&self) -> Result<Opened, DeviceStoreError> {
        let mut opened = Opened::default();
        match self.read_meta().await {
            Ok(meta) => opened.maps.meta = meta,
            Err(DeviceStoreError::Read(_)) => opened.damaged += 1,
            Err(e) => return Err(e),
        }
        let (outbox, bad) = self
            .open_table(Table::Outbox, |e: &OutboxEntry| e.seq)
            .await?;
        opened.maps.outbox = outbox;
        opened.damaged += bad;
        let (records, bad) = self
            .open_table(Table::Records, |s: &StoredRecord| s.record.id())
            .await?;
        opened.maps.records = records;
        opened.damaged += bad;
        let (sent, bad) = self
            .open_table(Table::Sent, |e: &SentEntry| e.record.id())
            .await?;
        opened.maps.sent = sent;
        opened.damaged += bad;
        Ok(opened)
    }

    /// Seals everything of `maps` into this store, if it holds nothing yet
    /// (the bookkeeping is not there): a device's data from before it was
    /// sealed moves in once, and a second window or a second try finds it
    /// done. Returns whether it moved.
    pub async fn import(&self, maps: &Maps) -> Result<bool, DeviceStoreError> {
        self.rows
            .exclusive(async {
                if !self.rows.keys(Table::Meta).await?.is_empty() {
                    return Ok(false);
                }
                let (_clear, changes) = self.changes(&Maps::default(), maps, false).await?;
                let mut changes = changes;
                if maps.meta == SyncMeta::default() {
                    // The bookkeeping marks the move done even when it is empty.
                    changes.extend(
                        self.seal(vec![(Table::Meta, RowKey::Meta, &maps.meta)])
                            .await?,
                    );
                }
                self.rows.write(&[], changes).await?;
                Ok(true)
            })
            .await
    }

    /// Clears this user's data, but only if no change waits to be sent
    /// (checked under the lock: another window may have saved a moment
    /// ago). Returns whether it cleared.
    pub async fn clear_if_all_sent(&self) -> Result<bool, DeviceStoreError> {
        self.rows
            .exclusive(async {
                let rows = self.rows.all(Table::Outbox).await?;
                let waiting = rows.len();
                let entries = self.open::<OutboxEntry>(Table::Outbox, rows).await?;
                // A row that does not open may be a waiting change: kept.
                let opened = entries.iter().flatten().count();
                if opened < waiting || entries.iter().flatten().any(OutboxEntry::is_pending) {
                    return Ok(false);
                }
                self.rows.write(&Table::ALL, Vec::new()).await?;
                Ok(true)
            })
            .await
    }

    /// The rows that changed between two maps, sealed; and the tables a
    /// restart emptied.
    async fn changes(
        &self,
        before: &Maps,
        after: &Maps,
        whole: bool,
    ) -> Result<(Vec<Table>, Vec<RowChange>), DeviceStoreError> {
        let mut clear = Vec::new();
        let mut changes = Vec::new();
        let outbox = diff(
            Table::Outbox,
            (&before.outbox, &after.outbox),
            whole,
            &mut clear,
        );
        let records = diff(
            Table::Records,
            (&before.records, &after.records),
            whole,
            &mut clear,
        );
        let sent = diff(Table::Sent, (&before.sent, &after.sent), whole, &mut clear);
        let outbox_keys: Vec<RowKey> = outbox.iter().map(|(seq, _)| RowKey::Seq(**seq)).collect();
        let record_keys = self
            .blind(&records.iter().map(|(id, _)| **id).collect::<Vec<_>>())
            .await?;
        let sent_keys = self
            .blind(&sent.iter().map(|(id, _)| **id).collect::<Vec<_>>())
            .await?;
        let mut puts: Vec<(Table, RowKey, &dyn erased::Value)> = Vec::new();
        for (table, keys, values) in [
            (
                Table::Outbox,
                outbox_keys,
                outbox
                    .iter()
                    .map(|(_, v)| v.map(|v| v as &dyn erased::Value))
                    .collect::<Vec<_>>(),
            ),
            (
                Table::Records,
                record_keys,
                records
                    .iter()
                    .map(|(_, v)| v.map(|v| v as &dyn erased::Value))
                    .collect(),
            ),
            (
                Table::Sent,
                sent_keys,
                sent.iter()
                    .map(|(_, v)| v.map(|v| v as &dyn erased::Value))
                    .collect(),
            ),
        ] {
            for (key, value) in keys.into_iter().zip(values) {
                match value {
                    Some(value) => puts.push((table, key, value)),
                    None => changes.push(RowChange {
                        table,
                        key,
                        value: None,
                    }),
                }
            }
        }
        if after.meta != before.meta {
            puts.push((Table::Meta, RowKey::Meta, &after.meta));
        }
        changes.extend(self.seal(puts).await?);
        Ok((clear, changes))
    }
}

/// What changed in one table: each key put (`Some`, its new value) or
/// deleted (`None`); or, when a restart left the table empty, nothing, and
/// the table goes into `clear`.
fn diff<'a, K: Ord, V: PartialEq>(
    table: Table,
    (before, after): (&'a BTreeMap<K, V>, &'a BTreeMap<K, V>),
    whole: bool,
    clear: &mut Vec<Table>,
) -> Vec<(&'a K, Option<&'a V>)> {
    if whole && after.is_empty() {
        clear.push(table);
        return Vec::new();
    }
    let mut changed: Vec<(&K, Option<&V>)> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k, Some(v)))
        .collect();
    changed.extend(
        before
            .keys()
            .filter(|k| !after.contains_key(*k))
            .map(|k| (k, None)),
    );
    changed
}

/// Values of different types sealed in one batch.
mod erased {
    /// Anything that serialises to JSON.
    pub trait Value {
        /// The value as JSON.
        fn json(&self) -> Result<Vec<u8>, serde_json::Error>;
    }

    impl<T: serde::Serialize> Value for T {
        fn json(&self) -> Result<Vec<u8>, serde_json::Error> {
            serde_json::to_vec(self)
        }
    }
}

impl<R: RowStore, C: RowCipher> DeviceStore for SealedStore<R, C> {
    async fn meta(&self) -> Result<SyncMeta, DeviceStoreError> {
        self.read_meta().await
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, DeviceStoreError> {
        // Keys are seqs, so rows come in seq order.
        self.read_table(Table::Outbox).await
    }

    async fn records(&self) -> Result<Vec<StoredRecord>, DeviceStoreError> {
        self.read_table(Table::Records).await
    }

    async fn sent(&self) -> Result<Vec<SentEntry>, DeviceStoreError> {
        self.read_table(Table::Sent).await
    }

    /// Under the lock: the bookkeeping and the outbox's keys are read, the
    /// entry is sealed under the next seq, and it and the bookkeeping are
    /// written in one transaction. Two windows never take the same seq.
    async fn append(
        &self,
        record: Record,
        created_at: DateTime<Utc>,
    ) -> Result<OutboxEntry, DeviceStoreError> {
        self.rows
            .exclusive(async {
                let mut meta = self.read_meta().await?;
                let outbox_max = self
                    .rows
                    .keys(Table::Outbox)
                    .await?
                    .into_iter()
                    .filter_map(|k| match k {
                        RowKey::Seq(seq) => Some(seq),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0);
                let entry = OutboxEntry::new(meta.next_seq(outbox_max), record, created_at);
                meta.last_seq = entry.seq;
                let changes = self
                    .seal(vec![
                        (Table::Outbox, RowKey::Seq(entry.seq), &entry),
                        (Table::Meta, RowKey::Meta, &meta),
                    ])
                    .await?;
                self.rows.write(&[], changes).await?;
                Ok(entry)
            })
            .await
    }

    async fn claim_client_id(&self, fresh: Uuid) -> Result<Uuid, DeviceStoreError> {
        self.rows
            .exclusive(async {
                let mut meta = self.read_meta().await?;
                if let Some(id) = meta.client_id {
                    return Ok(id);
                }
                meta.client_id = Some(fresh);
                let changes = self.seal(vec![(Table::Meta, RowKey::Meta, &meta)]).await?;
                self.rows.write(&[], changes).await?;
                Ok(fresh)
            })
            .await
    }

    /// Under the lock: the rows the writes touch are read and opened
    /// ([`Maps::touched_by`]; every row for a restart), changed through
    /// [`apply_all`], and what changed is sealed and written in one
    /// transaction: the answer lands whole or not at all.
    async fn apply(&self, writes: &[Write]) -> Result<(), DeviceStoreError> {
        self.rows
            .exclusive(async {
                let touched = Maps::touched_by(writes);
                let mut maps = Maps {
                    meta: self.read_meta().await?,
                    ..Maps::default()
                };
                let (outbox, records, sent): (Vec<OutboxEntry>, Vec<StoredRecord>, Vec<SentEntry>) =
                    if touched.everything {
                        (
                            self.read_whole(Table::Outbox).await?,
                            // Records are the server's: a restart pulls them again.
                            self.read_table(Table::Records).await?,
                            self.read_whole(Table::Sent).await?,
                        )
                    } else {
                        (
                            self.read_keys(
                                Table::Outbox,
                                touched.seqs.iter().map(|s| RowKey::Seq(*s)).collect(),
                            )
                            .await?,
                            self.read_keys(Table::Records, self.blind(&touched.records).await?)
                                .await?,
                            self.read_keys(Table::Sent, self.blind(&touched.sent).await?)
                                .await?,
                        )
                    };
                maps.outbox = outbox.into_iter().map(|e| (e.seq, e)).collect();
                maps.records = records.into_iter().map(|r| (r.record.id(), r)).collect();
                maps.sent = sent.into_iter().map(|e| (e.record.id(), e)).collect();
                let before = maps.clone();
                apply_all(writes, &mut maps);
                let (clear, changes) = self.changes(&before, &maps, touched.everything).await?;
                if clear.is_empty() && changes.is_empty() {
                    return Ok(());
                }
                self.rows.write(&clear, changes).await
            })
            .await
    }

    async fn clear(&self) -> Result<(), DeviceStoreError> {
        self.rows.write(&Table::ALL, Vec::new()).await
    }
}

#[cfg(all(test, feature = "software-cipher"))]
#[path = "tests.rs"]
mod tests;
