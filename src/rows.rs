//! The sealed store's rows in IndexedDB: one database per user on this
//! device (`naervaer-sealed-<user id>`) with the four tables as object
//! stores, each value the sealed bytes of one row (an `Uint8Array`), each
//! key a seq, a blinded id in hex, or `meta`. Every method is one
//! IndexedDB transaction, awaited until it has committed; a read and the
//! write that depends on it hold the store's Web Lock
//! (`naervaer-store-<user id>`), which every window of the app takes.

use std::future::{Future, IntoFuture};

use idb::{ObjectStore, Transaction, TransactionMode};
use js_sys::Uint8Array;
use naervaer_sync::DeviceStoreError;
use naervaer_sync::sealed::{RowChange, RowKey, RowStore, Table};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

use crate::store::{Connection, commit, idb_error};

/// The rows of one user on this device. Clones share one connection.
#[derive(Debug, Clone)]
pub struct IdbRows {
    connection: Connection,
    lock: String,
}

fn key_of(key: RowKey) -> JsValue {
    match key {
        RowKey::Meta => JsValue::from_str("meta"),
        // Seqs stay far below 2^53, so the number key is exact.
        RowKey::Seq(seq) => JsValue::from_f64(seq as f64),
        RowKey::Blind(_) => JsValue::from_str(&key.to_string()),
    }
}

/// A stored key back as a row key; `None` for one this app did not write
/// (not in the form [`key_of`] writes: a whole number up to 2^53, 32
/// lower-case hex digits, `meta`), which is then left alone: a key put there
/// by hand can neither pin the next seq nor shadow a real row.
fn row_key(table: Table, key: &JsValue) -> Option<RowKey> {
    let parsed = match table {
        Table::Meta => Some(RowKey::Meta),
        Table::Outbox => key
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (1.0..=9_007_199_254_740_992.0).contains(n))
            .map(|n| RowKey::Seq(n as u64)),
        Table::Records | Table::Sent => {
            let hex = key.as_string()?;
            let bytes = crate::crypto::wrap::unhex(&hex)?;
            bytes.try_into().ok().map(RowKey::Blind)
        }
    }?;
    // Written back, it must be the very key it was read from.
    (key_of(parsed) == *key).then_some(parsed)
}

fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    value.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}

impl IdbRows {
    /// The rows of the user with this id (opened on first use).
    pub fn for_user(user_id: Uuid) -> IdbRows {
        IdbRows {
            connection: Connection::new(Self::database_name(user_id)),
            lock: format!("naervaer-store-{user_id}"),
        }
    }

    /// The IndexedDB database of the user's sealed rows.
    pub fn database_name(user_id: Uuid) -> String {
        format!("naervaer-sealed-{user_id}")
    }

    async fn transaction(
        &self,
        tables: &[Table],
        mode: TransactionMode,
    ) -> Result<Transaction, DeviceStoreError> {
        let names: Vec<&str> = tables.iter().map(|t| t.name()).collect();
        self.connection.transaction(&names, mode).await
    }

    async fn store_of(&self, table: Table) -> Result<(Transaction, ObjectStore), DeviceStoreError> {
        let tx = self
            .transaction(&[table], TransactionMode::ReadOnly)
            .await?;
        let store = tx.object_store(table.name()).map_err(idb_error)?;
        Ok((tx, store))
    }
}

fn read_error(e: idb::Error) -> DeviceStoreError {
    DeviceStoreError::Read(e.to_string())
}

impl RowStore for IdbRows {
    async fn get(
        &self,
        table: Table,
        keys: &[RowKey],
    ) -> Result<Vec<Option<Vec<u8>>>, DeviceStoreError> {
        let (_tx, store) = self.store_of(table).await?;
        // Every read asked for at once; IndexedDB answers in order.
        let reads = keys
            .iter()
            .map(|k| Ok(store.get(key_of(*k)).map_err(idb_error)?.into_future()))
            .collect::<Result<Vec<_>, DeviceStoreError>>()?;
        let mut rows = Vec::with_capacity(reads.len());
        for read in reads {
            rows.push(read.await.map_err(read_error)?.as_ref().and_then(bytes_of));
        }
        Ok(rows)
    }

    async fn all(&self, table: Table) -> Result<Vec<(RowKey, Vec<u8>)>, DeviceStoreError> {
        let (_tx, store) = self.store_of(table).await?;
        let keys = store
            .get_all_keys(None, None)
            .map_err(idb_error)?
            .into_future();
        let values = store.get_all(None, None).map_err(idb_error)?.into_future();
        let (keys, values) = (
            keys.await.map_err(read_error)?,
            values.await.map_err(read_error)?,
        );
        // Both in key order, from one transaction: they pair up.
        Ok(keys
            .iter()
            .zip(values.iter())
            .filter_map(|(k, v)| Some((row_key(table, k)?, bytes_of(v)?)))
            .collect())
    }

    async fn keys(&self, table: Table) -> Result<Vec<RowKey>, DeviceStoreError> {
        let (_tx, store) = self.store_of(table).await?;
        let keys = store
            .get_all_keys(None, None)
            .map_err(idb_error)?
            .await
            .map_err(read_error)?;
        Ok(keys.iter().filter_map(|k| row_key(table, k)).collect())
    }

    async fn write(
        &self,
        clear: &[Table],
        changes: Vec<RowChange>,
    ) -> Result<(), DeviceStoreError> {
        let tx = self
            .transaction(&Table::ALL, TransactionMode::ReadWrite)
            .await?;
        let store = |t: Table| tx.object_store(t.name()).map_err(idb_error);
        for table in clear {
            store(*table)?.clear().map_err(idb_error)?;
        }
        // Every write asked for without waiting: the commit says whether all landed.
        for change in changes {
            let target = store(change.table)?;
            match change.value {
                Some(bytes) => {
                    let value = Uint8Array::from(bytes.as_slice());
                    target
                        .put(&value, Some(&key_of(change.key)))
                        .map_err(idb_error)?;
                }
                None => {
                    target.delete(key_of(change.key)).map_err(idb_error)?;
                }
            }
        }
        let any = store(Table::Meta)?;
        commit(tx, &any).await
    }

    async fn exclusive<T, F: Future<Output = Result<T, DeviceStoreError>>>(
        &self,
        work: F,
    ) -> Result<T, DeviceStoreError> {
        let _held = crate::windows::lock(&self.lock).await;
        work.await
    }
}
