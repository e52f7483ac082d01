//! Rows as a sealed store keeps them: four tables of opaque bytes under
//! keys that say nothing of a citizen (a number, a random id, `meta`). The
//! browser keeps them in IndexedDB (in the app); [`MemoryRows`] keeps them
//! in memory for tests and the simulation.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::rc::Rc;

use crate::memory::YieldOnce;
use crate::store::DeviceStoreError;
use futures_util::lock::Mutex;

/// One of a store's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    /// The bookkeeping: one row.
    Meta,
    /// Outbox entries by seq.
    Outbox,
    /// Records by id.
    Records,
    /// Sent-log entries by record id.
    Sent,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 4] = [Table::Meta, Table::Outbox, Table::Records, Table::Sent];

    /// The table's name (IndexedDB's object store, and part of a row's
    /// associated data).
    pub fn name(self) -> &'static str {
        match self {
            Table::Meta => "meta",
            Table::Outbox => "outbox",
            Table::Records => "records",
            Table::Sent => "sent",
        }
    }
}

/// A row's key within its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowKey {
    /// The bookkeeping's one row.
    Meta,
    /// An outbox entry's seq.
    Seq(u64),
    /// A record's (or sent-log entry's) id, blinded with the user's key
    /// ([`crate::sealed::RowCipher::blind`]).
    Blind([u8; 16]),
}

impl std::fmt::Display for RowKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowKey::Meta => f.write_str("meta"),
            RowKey::Seq(seq) => write!(f, "{seq}"),
            RowKey::Blind(bytes) => bytes.iter().try_for_each(|b| write!(f, "{b:02x}")),
        }
    }
}

/// One change of a write: a row put (`Some`) or deleted (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowChange {
    /// Its table.
    pub table: Table,
    /// Its key.
    pub key: RowKey,
    /// The sealed bytes, or `None` to delete.
    pub value: Option<Vec<u8>>,
}

/// Where sealed rows are kept. Every method is one transaction of the
/// underlying storage. The device is single threaded, so the futures need
/// not be `Send`.
#[allow(async_fn_in_trait)]
pub trait RowStore {
    /// The rows with these keys, in the order asked (`None` where absent).
    async fn get(
        &self,
        table: Table,
        keys: &[RowKey],
    ) -> Result<Vec<Option<Vec<u8>>>, DeviceStoreError>;

    /// Every row of a table, in key order.
    async fn all(&self, table: Table) -> Result<Vec<(RowKey, Vec<u8>)>, DeviceStoreError>;

    /// Every key of a table, in key order.
    async fn keys(&self, table: Table) -> Result<Vec<RowKey>, DeviceStoreError>;

    /// Empties `clear`, then makes `changes`, in one transaction: all of it
    /// lands, or none.
    async fn write(&self, clear: &[Table], changes: Vec<RowChange>)
    -> Result<(), DeviceStoreError>;

    /// Runs `work` while no other handle onto this store (another window)
    /// runs its own: a read, then a write that depends on it, are one step.
    /// An error if the lock could not be held for the whole of it.
    async fn exclusive<T, F: Future<Output = Result<T, DeviceStoreError>>>(
        &self,
        work: F,
    ) -> Result<T, DeviceStoreError>;
}

#[derive(Debug, Default)]
struct Tables {
    rows: BTreeMap<Table, BTreeMap<RowKey, Vec<u8>>>,
    full: bool,
    writes: u64,
}

/// Rows in memory, for tests and the simulation. Clones share the rows
/// (and the lock), as the windows of one app share the browser's storage.
/// Every transaction answers a turn later, as IndexedDB's do, so another
/// window's work can run between a read and a write (which the lock must
/// keep out).
#[derive(Debug, Clone, Default)]
pub struct MemoryRows {
    tables: Rc<RefCell<Tables>>,
    lock: Rc<Mutex<()>>,
}

/// A copy of every row of a [`MemoryRows`].
pub type RowsSnapshot = BTreeMap<Table, BTreeMap<RowKey, Vec<u8>>>;

impl MemoryRows {
    /// No rows.
    pub fn new() -> MemoryRows {
        MemoryRows::default()
    }

    /// Makes every write fail with [`DeviceStoreError::Full`] (or work again).
    pub fn set_full(&self, full: bool) {
        self.tables.borrow_mut().full = full;
    }

    /// Whether writes are refused now.
    pub fn is_full(&self) -> bool {
        self.tables.borrow().full
    }

    /// How many transactions wrote so far.
    pub fn writes(&self) -> u64 {
        self.tables.borrow().writes
    }

    /// A copy of every row, as a thief (or DevTools) would read them.
    pub fn snapshot(&self) -> RowsSnapshot {
        self.tables.borrow().rows.clone()
    }

    /// Puts a copy back (a restored tablet), or starts a copied one from it.
    pub fn restore(&self, rows: RowsSnapshot) {
        self.tables.borrow_mut().rows = rows;
    }

    /// A new store holding a copy of these rows, with its own lock (another
    /// tablet).
    pub fn copy(&self) -> MemoryRows {
        let rows = MemoryRows::new();
        rows.restore(self.snapshot());
        rows
    }
}

impl RowStore for MemoryRows {
    async fn get(
        &self,
        table: Table,
        keys: &[RowKey],
    ) -> Result<Vec<Option<Vec<u8>>>, DeviceStoreError> {
        YieldOnce(false).await;
        let tables = self.tables.borrow();
        let rows = tables.rows.get(&table);
        Ok(keys
            .iter()
            .map(|k| rows.and_then(|r| r.get(k)).cloned())
            .collect())
    }

    async fn all(&self, table: Table) -> Result<Vec<(RowKey, Vec<u8>)>, DeviceStoreError> {
        YieldOnce(false).await;
        let tables = self.tables.borrow();
        Ok(tables
            .rows
            .get(&table)
            .map(|r| r.iter().map(|(k, v)| (*k, v.clone())).collect())
            .unwrap_or_default())
    }

    async fn keys(&self, table: Table) -> Result<Vec<RowKey>, DeviceStoreError> {
        YieldOnce(false).await;
        let tables = self.tables.borrow();
        Ok(tables
            .rows
            .get(&table)
            .map(|r| r.keys().copied().collect())
            .unwrap_or_default())
    }

    async fn write(
        &self,
        clear: &[Table],
        changes: Vec<RowChange>,
    ) -> Result<(), DeviceStoreError> {
        YieldOnce(false).await;
        let mut tables = self.tables.borrow_mut();
        if tables.full {
            return Err(DeviceStoreError::Full);
        }
        for table in clear {
            tables.rows.remove(table);
        }
        for change in changes {
            let rows = tables.rows.entry(change.table).or_default();
            match change.value {
                Some(value) => rows.insert(change.key, value),
                None => rows.remove(&change.key),
            };
        }
        tables.writes += 1;
        Ok(())
    }

    async fn exclusive<T, F: Future<Output = Result<T, DeviceStoreError>>>(
        &self,
        work: F,
    ) -> Result<T, DeviceStoreError> {
        let _held = self.lock.lock().await;
        work.await
    }
}
