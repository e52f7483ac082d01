//! The device's store: one IndexedDB database per user on this device
//! (`naervaer-<user id>`) through the `idb` crate, with four object stores:
//! `meta` (the bookkeeping, one row), `outbox` (entries by seq), `records`
//! (records by id, with the change that brought them) and `sent` (see
//! below). Values are the JSON
//! the app has always written. Every operation is one IndexedDB transaction,
//! awaited until it has committed, so "saved" means on the device. It
//! implements [`naervaer_sync::DeviceStore`]; every sync decision is made in
//! that crate, and the meaning of a write in
//! [`naervaer_sync::store::apply_to_maps`]. `sent` keeps the changes the
//! server settled for a while after (so a server restored from a backup
//! gets them again).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::IntoFuture;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use idb::{Database, DatabaseEvent, Factory, ObjectStore, Transaction, TransactionMode};
use naervaer_domain::protocol::Record;
use naervaer_sync::sealed::{Opened, RowCipher, RowStore, SealedStore, Table};
use naervaer_sync::store::apply_all;
use naervaer_sync::{DeviceStore, Maps, OutboxEntry, SentEntry, StoredRecord, SyncMeta, Write};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use crate::data::LocalData;
use crate::legacy::LegacyData;

pub use naervaer_sync::DeviceStoreError;

const META: &str = "meta";
const OUTBOX: &str = "outbox";
const RECORDS: &str = "records";
/// Changes the server settled, kept a while after (by record id).
const SENT: &str = "sent";
const ALL: [&str; 4] = [META, OUTBOX, RECORDS, SENT];
/// The schema version: 2 added `sent`; 3 marks the data moved into the
/// sealed store, so a window of an earlier version still open cannot open
/// this database again (its saves fail, are held and shown as not saved,
/// rather than written where nobody reads them). Opening creates what is
/// missing.
const VERSION: u32 = 3;

/// An IndexedDB error as a store error: a full quota is `Full`, a browser
/// without IndexedDB `Unavailable`.
pub(crate) fn idb_error(e: idb::Error) -> DeviceStoreError {
    let text = e.to_string();
    if text.contains("Quota") {
        DeviceStoreError::Full
    } else if matches!(e, idb::Error::IndexedDbNotFound(_)) {
        DeviceStoreError::Unavailable
    } else {
        DeviceStoreError::Write(text)
    }
}

fn key_of(seq: u64) -> JsValue {
    // Seqs stay far below 2^53, so the number key is exact.
    JsValue::from_f64(seq as f64)
}

fn seq_of(key: &JsValue) -> u64 {
    key.as_f64().map_or(0, |n| n as u64)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, DeviceStoreError> {
    serde_json::to_string(value)
        .map(|text| JsValue::from_str(&text))
        .map_err(|e| DeviceStoreError::Write(e.to_string()))
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, DeviceStoreError> {
    let text = value
        .as_string()
        .ok_or_else(|| DeviceStoreError::Read("ikke tekst".into()))?;
    serde_json::from_str(&text).map_err(|e| DeviceStoreError::Read(e.to_string()))
}

/// Opens (and on first use creates) the database of one user.
pub(crate) async fn open(name: &str) -> Result<Database, DeviceStoreError> {
    let factory = Factory::new().map_err(|_| DeviceStoreError::Unavailable)?;
    let mut request = factory.open(name, Some(VERSION)).map_err(idb_error)?;
    request.on_upgrade_needed(|event| {
        let Ok(db) = event.database() else { return };
        for store in ALL {
            if !db.store_names().iter().any(|s| s == store) {
                // A failure here aborts the upgrade; opening then fails with an error.
                let _created = db.create_object_store(store, idb::ObjectStoreParams::new());
            }
        }
    });
    let mut db = request.await.map_err(idb_error)?;
    // A later version opened in another window asks this one to let go.
    db.on_version_change(|event| {
        if let Ok(db) = event.database() {
            db.close();
        }
    });
    Ok(db)
}

/// Waits for a transaction to commit; an abort (a full disk, say) is an error.
pub(crate) async fn commit(
    tx: Transaction,
    any_store: &ObjectStore,
) -> Result<(), DeviceStoreError> {
    let result = tx.commit().map_err(idb_error)?.await.map_err(idb_error)?;
    if result.is_committed() {
        return Ok(());
    }
    match any_store.transaction().error() {
        Some(e) if e.name().contains("Quota") => Err(DeviceStoreError::Full),
        Some(e) => Err(DeviceStoreError::Write(format!(
            "{}: {}",
            e.name(),
            e.message()
        ))),
        None => Err(DeviceStoreError::Write("transaktionen blev afbrudt".into())),
    }
}

/// Asks for a row to be written; the transaction's commit tells whether it
/// was (a failed write aborts the transaction).
fn put(store: &ObjectStore, key: &JsValue, value: &JsValue) -> Result<(), DeviceStoreError> {
    store.put(value, Some(key)).map_err(idb_error).map(drop)
}

/// Asks for a row to be deleted (see [`put`]).
fn delete(store: &ObjectStore, key: JsValue) -> Result<(), DeviceStoreError> {
    store.delete(key).map_err(idb_error).map(drop)
}

/// Reads one row, `None` if absent.
async fn get(store: &ObjectStore, key: JsValue) -> Result<Option<JsValue>, DeviceStoreError> {
    store
        .get(key)
        .map_err(idb_error)?
        .await
        .map_err(|e| DeviceStoreError::Read(e.to_string()))
}

/// Every value of an object store, in key order.
async fn all(store: &ObjectStore) -> Result<Vec<JsValue>, DeviceStoreError> {
    store
        .get_all(None, None)
        .map_err(idb_error)?
        .await
        .map_err(|e| DeviceStoreError::Read(e.to_string()))
}

/// One IndexedDB database's connection: opened on first use, and again
/// once when another window's upgrade closed it. Clones share it.
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    name: String,
    db: Rc<RefCell<Option<Rc<Database>>>>,
}

impl Connection {
    /// The connection to the database of this name (not opened yet).
    pub(crate) fn new(name: String) -> Connection {
        Connection {
            name,
            db: Rc::default(),
        }
    }

    async fn db(&self) -> Result<Rc<Database>, DeviceStoreError> {
        if let Some(db) = self.db.borrow().clone() {
            return Ok(db);
        }
        let db = Rc::new(open(&self.name).await?);
        *self.db.borrow_mut() = Some(db.clone());
        Ok(db)
    }

    /// A transaction over `stores`; a connection closed under it (by another
    /// window's upgrade) is opened again once.
    pub(crate) async fn transaction(
        &self,
        stores: &[&str],
        mode: TransactionMode,
    ) -> Result<Transaction, DeviceStoreError> {
        match self.db().await?.transaction(stores, mode) {
            Ok(tx) => Ok(tx),
            Err(_) => {
                self.db.borrow_mut().take();
                self.db()
                    .await?
                    .transaction(stores, mode)
                    .map_err(idb_error)
            }
        }
    }

    /// Closes the connection (it opens again on next use).
    pub(crate) fn close(&self) {
        if let Some(db) = self.db.borrow_mut().take() {
            db.close();
        }
    }
}

/// The store of one user on this device. Clones share one connection.
#[derive(Debug, Clone)]
pub struct IdbStore {
    connection: Connection,
}

impl IdbStore {
    /// The store of the user with this id (opened on first use).
    pub fn for_user(user_id: Uuid) -> IdbStore {
        IdbStore {
            connection: Connection::new(format!("naervaer-{user_id}")),
        }
    }

    async fn transaction(
        &self,
        stores: &[&str],
        mode: TransactionMode,
    ) -> Result<Transaction, DeviceStoreError> {
        self.connection.transaction(stores, mode).await
    }

    /// Reads everything of this user, in one read. An unreadable row is
    /// skipped and counted, so one damaged row never hides the rest.
    pub async fn read_everything(&self) -> Result<Opened, DeviceStoreError> {
        let tx = self.transaction(&ALL, TransactionMode::ReadOnly).await?;
        let store = |name| tx.object_store(name).map_err(idb_error);
        let (meta, outbox, records) = (store(META)?, store(OUTBOX)?, store(RECORDS)?);
        let meta = get(&meta, META.into()).await?;
        let entries = all(&outbox).await?;
        let rows = all(&records).await?;
        let sent = all(&store(SENT)?).await?;
        let mut opened = Opened::default();
        match meta.as_ref().map(from_js::<SyncMeta>).transpose() {
            Ok(meta) => opened.maps.meta = meta.unwrap_or_default(),
            Err(_) => opened.damaged += 1,
        }
        for value in &entries {
            match from_js::<OutboxEntry>(value) {
                Ok(entry) => {
                    opened.maps.outbox.insert(entry.seq, entry);
                }
                Err(_) => opened.damaged += 1,
            }
        }
        for value in &rows {
            match from_js::<StoredRecord>(value) {
                Ok(stored) => {
                    opened.maps.records.insert(stored.record.id(), stored);
                }
                Err(_) => opened.damaged += 1,
            }
        }
        for value in &sent {
            match from_js::<SentEntry>(value) {
                Ok(entry) => {
                    opened.maps.sent.insert(entry.record.id(), entry);
                }
                Err(_) => opened.damaged += 1,
            }
        }
        Ok(opened)
    }

    /// Loads everything of this user for the pages (see [`Self::read_everything`]).
    pub async fn load(&self) -> Result<(LocalData, usize), DeviceStoreError> {
        let opened = self.read_everything().await?;
        Ok((LocalData::from_maps(opened.maps), opened.damaged))
    }

    /// Closes this handle's connection (another window's, or a test's).
    pub fn close(&self) {
        self.connection.close();
    }

    async fn read_meta(&self, store: &ObjectStore) -> Result<SyncMeta, DeviceStoreError> {
        get(store, META.into())
            .await?
            .map_or(Ok(SyncMeta::default()), |v| from_js(&v))
    }

    /// Clears this user's data at logout, but only if no change waits to be
    /// sent, checked in the same transaction: another window of the login
    /// may have saved a moment ago. Returns whether it cleared.
    pub async fn clear_if_all_sent(&self) -> Result<bool, DeviceStoreError> {
        let tx = self.transaction(&ALL, TransactionMode::ReadWrite).await?;
        let outbox = tx.object_store(OUTBOX).map_err(idb_error)?;
        let waiting = all(&outbox)
            .await?
            .iter()
            .any(|v| from_js::<OutboxEntry>(v).map_or(true, |e| e.is_pending()));
        if waiting {
            return Ok(false);
        }
        for name in ALL {
            tx.object_store(name)
                .map_err(idb_error)?
                .clear()
                .map_err(idb_error)?;
        }
        commit(tx, &outbox).await?;
        Ok(true)
    }

    /// Moves what an earlier version kept in `localStorage` into this
    /// store, in one transaction: pending changes keep their seqs (none that
    /// the server already settled comes back), records never replace newer
    /// ones, the bookkeeping only moves forward. Returns how many outbox
    /// entries came over. The old keys are removed by the caller once this
    /// has committed; running it twice is harmless.
    pub async fn import(&self, legacy: &LegacyData) -> Result<usize, DeviceStoreError> {
        let tx = self.transaction(&ALL, TransactionMode::ReadWrite).await?;
        let stores = Stores::of(&tx)?;
        let stored_meta = self.read_meta(&stores.meta).await?;
        let mut meta = stored_meta.clone();
        let mut writes: Vec<Write> = legacy.records.iter().cloned().map(Write::Record).collect();
        if let Some(old) = &legacy.meta {
            writes.push(Write::Acknowledge(old.acknowledged_seq));
            writes.push(Write::Cursor {
                cursor: old.cursor,
                tag: old.cursor_tag,
            });
            if let Some(at) = old.last_success {
                writes.push(Write::LastSuccess(at));
            }
            meta.client_id = meta.client_id.or(old.client_id);
            meta.last_seq = meta.last_seq.max(old.last_seq);
        }
        let mut moved = 0;
        let acknowledged = meta
            .acknowledged_seq
            .max(legacy.meta.as_ref().map_or(0, |m| m.acknowledged_seq));
        for entry in legacy.outbox.iter().filter(|e| e.seq > acknowledged) {
            if get(&stores.outbox, key_of(entry.seq)).await?.is_none() {
                put(&stores.outbox, &key_of(entry.seq), &to_js(entry)?)?;
                moved += 1;
            }
            meta.last_seq = meta.last_seq.max(entry.seq);
        }
        meta.last_seq = meta.last_seq.max(legacy.damaged_seq);
        apply_in(&stores, (&stored_meta, meta), &writes).await?;
        commit(tx, &stores.meta).await?;
        Ok(moved)
    }

    /// Moves this user's data from `localStorage` (an earlier version) into
    /// IndexedDB, then removes the old keys. Returns how many waiting
    /// changes came over; nothing to move is `Ok(0)`.
    pub async fn upgrade_from_local_storage(
        &self,
        user_id: Uuid,
    ) -> Result<usize, DeviceStoreError> {
        let legacy = match crate::legacy::read(user_id) {
            Ok(legacy) => legacy,
            // No localStorage: nothing can have been kept there.
            Err(DeviceStoreError::Unavailable) => return Ok(0),
            Err(e) => return Err(e),
        };
        if legacy.is_empty() {
            return Ok(0);
        }
        let moved = self.import(&legacy).await?;
        crate::legacy::remove(&legacy)?;
        Ok(moved)
    }
}

/// Moves the user's data from before the device's data was sealed (kept by
/// the first versions in `localStorage`, then in this plain IndexedDB
/// database) into the sealed store, if the sealed store is still empty;
/// then empties the plain database (kept, at version 3, as a marker; rows
/// that did not read stay in it). Pending changes keep their seqs, so
/// none is sent twice or lost; a second window or a second try finds the
/// move done.
pub async fn move_into_sealed<R: RowStore, C: RowCipher>(
    user_id: Uuid,
    sealed: &SealedStore<R, C>,
) -> Result<(), DeviceStoreError> {
    if !sealed.rows().keys(Table::Meta).await?.is_empty() {
        return Ok(());
    }
    // Opening at this version asks any window of an earlier version to let
    // go first, and keeps it from opening the database again.
    let plain = IdbStore::for_user(user_id);
    plain.upgrade_from_local_storage(user_id).await?;
    let before = plain.read_everything().await?;
    sealed.import(&before.maps).await?;
    if before.damaged == 0 {
        // Emptied, not deleted: an earlier version would create it anew.
        plain.clear().await?;
    }
    plain.close();
    Ok(())
}

/// The object stores one transaction works on.
struct Stores {
    meta: ObjectStore,
    outbox: ObjectStore,
    records: ObjectStore,
    sent: ObjectStore,
}

impl Stores {
    fn of(tx: &Transaction) -> Result<Stores, DeviceStoreError> {
        let store = |name| tx.object_store(name).map_err(idb_error);
        Ok(Stores {
            meta: store(META)?,
            outbox: store(OUTBOX)?,
            records: store(RECORDS)?,
            sent: store(SENT)?,
        })
    }
}

/// Reads the rows with these keys at once (IndexedDB answers in order);
/// a row that does not read is left out (it is written over, or stays).
async fn read_rows<T: DeserializeOwned>(
    store: &ObjectStore,
    keys: impl Iterator<Item = JsValue>,
) -> Result<Vec<T>, DeviceStoreError> {
    let reads = keys
        .map(|key| Ok(store.get(key).map_err(idb_error)?.into_future()))
        .collect::<Result<Vec<_>, DeviceStoreError>>()?;
    let mut rows = Vec::new();
    for read in reads {
        if let Some(value) = read.await.map_err(idb_error)?
            && let Ok(row) = from_js::<T>(&value)
        {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Every readable row of an object store.
async fn read_all<T: DeserializeOwned>(store: &ObjectStore) -> Result<Vec<T>, DeviceStoreError> {
    Ok(all(store)
        .await?
        .iter()
        .filter_map(|v| from_js::<T>(v).ok())
        .collect())
}

/// Writes back what changed between `before` and `after` in one object
/// store (`key` makes a row's key); a store left empty by a restart is
/// cleared, unreadable rows too.
fn write_back<K: Ord, V: PartialEq + Serialize>(
    store: &ObjectStore,
    (before, after): (&BTreeMap<K, V>, &BTreeMap<K, V>),
    key: impl Fn(&K) -> JsValue,
    whole: bool,
) -> Result<(), DeviceStoreError> {
    if whole && after.is_empty() {
        return store.clear().map_err(idb_error).map(drop);
    }
    for (k, value) in after {
        if before.get(k) != Some(value) {
            put(store, &key(k), &to_js(value)?)?;
        }
    }
    for k in before.keys().filter(|k| !after.contains_key(k)) {
        delete(store, key(k))?;
    }
    Ok(())
}

fn id_key(id: &Uuid) -> JsValue {
    JsValue::from_str(&id.to_string())
}

/// Applies `writes` inside an open transaction: the rows they touch are
/// read ([`Maps::touched_by`]; every row for a restart), changed through
/// [`apply_all`] (the one meaning of a write), and written back; rows that
/// went are deleted. `meta` is the bookkeeping to apply them to,
/// `stored_meta` as read in the same transaction; it is written last, if
/// it changed.
async fn apply_in(
    stores: &Stores,
    (stored_meta, meta): (&SyncMeta, SyncMeta),
    writes: &[Write],
) -> Result<(), DeviceStoreError> {
    let touched = Maps::touched_by(writes);
    let mut maps = Maps {
        meta,
        ..Maps::default()
    };
    let (outbox, records, sent): (Vec<OutboxEntry>, Vec<StoredRecord>, Vec<SentEntry>) =
        if touched.everything {
            (
                read_all(&stores.outbox).await?,
                read_all(&stores.records).await?,
                read_all(&stores.sent).await?,
            )
        } else {
            (
                read_rows(&stores.outbox, touched.seqs.iter().map(|s| key_of(*s))).await?,
                read_rows(&stores.records, touched.records.iter().map(id_key)).await?,
                read_rows(&stores.sent, touched.sent.iter().map(id_key)).await?,
            )
        };
    maps.outbox = outbox.into_iter().map(|e| (e.seq, e)).collect();
    maps.records = records.into_iter().map(|r| (r.record.id(), r)).collect();
    maps.sent = sent.into_iter().map(|e| (e.record.id(), e)).collect();
    let before = maps.clone();
    apply_all(writes, &mut maps);
    // The writes are asked for without waiting on each: the commit that
    // follows says whether all of them landed.
    let whole = touched.everything;
    write_back(
        &stores.outbox,
        (&before.outbox, &maps.outbox),
        |s| key_of(*s),
        whole,
    )?;
    write_back(
        &stores.records,
        (&before.records, &maps.records),
        id_key,
        whole,
    )?;
    write_back(&stores.sent, (&before.sent, &maps.sent), id_key, whole)?;
    if maps.meta != *stored_meta {
        put(&stores.meta, &META.into(), &to_js(&maps.meta)?)?;
    }
    Ok(())
}

impl DeviceStore for IdbStore {
    async fn meta(&self) -> Result<SyncMeta, DeviceStoreError> {
        let tx = self.transaction(&[META], TransactionMode::ReadOnly).await?;
        self.read_meta(&tx.object_store(META).map_err(idb_error)?)
            .await
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, DeviceStoreError> {
        let tx = self
            .transaction(&[OUTBOX], TransactionMode::ReadOnly)
            .await?;
        let values = all(&tx.object_store(OUTBOX).map_err(idb_error)?).await?;
        // Keys are numbers, so rows come in seq order.
        Ok(values
            .iter()
            .filter_map(|v| from_js::<OutboxEntry>(v).ok())
            .collect())
    }

    async fn sent(&self) -> Result<Vec<SentEntry>, DeviceStoreError> {
        let tx = self.transaction(&[SENT], TransactionMode::ReadOnly).await?;
        read_all(&tx.object_store(SENT).map_err(idb_error)?).await
    }

    async fn records(&self) -> Result<Vec<StoredRecord>, DeviceStoreError> {
        let tx = self
            .transaction(&[RECORDS], TransactionMode::ReadOnly)
            .await?;
        let values = all(&tx.object_store(RECORDS).map_err(idb_error)?).await?;
        Ok(values
            .iter()
            .filter_map(|v| from_js::<StoredRecord>(v).ok())
            .collect())
    }

    /// One transaction: the bookkeeping and the highest seq in the outbox
    /// are read, the entry is added under the next seq (never over another),
    /// and the seq is remembered as used. IndexedDB runs read-write
    /// transactions on the same stores one after another, so two windows
    /// never take the same seq.
    async fn append(
        &self,
        record: Record,
        created_at: DateTime<Utc>,
    ) -> Result<OutboxEntry, DeviceStoreError> {
        let tx = self
            .transaction(&[META, OUTBOX], TransactionMode::ReadWrite)
            .await?;
        let meta_store = tx.object_store(META).map_err(idb_error)?;
        let outbox = tx.object_store(OUTBOX).map_err(idb_error)?;
        // Both reads asked for at once; then both writes and the commit.
        let meta_read = meta_store
            .get(JsValue::from_str(META))
            .map_err(idb_error)?
            .into_future();
        let keys_read = outbox
            .get_all_keys(None, None)
            .map_err(idb_error)?
            .into_future();
        let mut meta = match meta_read.await.map_err(idb_error)? {
            Some(value) => from_js::<SyncMeta>(&value)?,
            None => SyncMeta::default(),
        };
        let keys = keys_read.await.map_err(idb_error)?;
        let outbox_max = keys.iter().map(seq_of).max().unwrap_or(0);
        let entry = OutboxEntry::new(meta.next_seq(outbox_max), record, created_at);
        // `add`, not `put`: an entry is never written over.
        outbox
            .add(&to_js(&entry)?, Some(&key_of(entry.seq)))
            .map_err(idb_error)?;
        meta.last_seq = entry.seq;
        put(&meta_store, &META.into(), &to_js(&meta)?)?;
        commit(tx, &meta_store).await?;
        Ok(entry)
    }

    async fn claim_client_id(&self, fresh: Uuid) -> Result<Uuid, DeviceStoreError> {
        let tx = self
            .transaction(&[META], TransactionMode::ReadWrite)
            .await?;
        let meta_store = tx.object_store(META).map_err(idb_error)?;
        let mut meta = self.read_meta(&meta_store).await?;
        if let Some(id) = meta.client_id {
            return Ok(id);
        }
        meta.client_id = Some(fresh);
        put(&meta_store, &META.into(), &to_js(&meta)?)?;
        commit(tx, &meta_store).await?;
        Ok(fresh)
    }

    /// All writes of one answer in one transaction: it commits whole or not
    /// at all.
    async fn apply(&self, writes: &[Write]) -> Result<(), DeviceStoreError> {
        let tx = self.transaction(&ALL, TransactionMode::ReadWrite).await?;
        let stores = Stores::of(&tx)?;
        let meta = self.read_meta(&stores.meta).await?;
        apply_in(&stores, (&meta, meta.clone()), writes).await?;
        commit(tx, &stores.meta).await
    }

    async fn clear(&self) -> Result<(), DeviceStoreError> {
        let tx = self.transaction(&ALL, TransactionMode::ReadWrite).await?;
        let mut first = None;
        for name in ALL {
            let store = tx.object_store(name).map_err(idb_error)?;
            store.clear().map_err(idb_error)?;
            first.get_or_insert(store);
        }
        match first {
            Some(store) => commit(tx, &store).await,
            None => Ok(()),
        }
    }
}
