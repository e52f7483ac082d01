//! The simulation's device store, in one of two kinds: the in-memory store
//! (optionally written one item at a time with a millisecond of simulated
//! time between items, as browser storage without transactions writes key
//! by key, so that a crash or a full disk can land between two writes of one
//! answer), or the sealed store the app uses (every row encrypted, over rows
//! in memory, with a read and its write under one lock).

use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use naervaer_sync::sealed::{MemoryRows, RowsSnapshot, SealedStore, SoftwareCipher};
use naervaer_sync::{
    DeviceStore, DeviceStoreError, Maps, MemoryDeviceStore, OutboxEntry, SentEntry, StoredRecord,
    SyncMeta, Write,
};
use uuid::Uuid;

/// A sealed store of the simulation.
pub type Sealed = SealedStore<MemoryRows, SoftwareCipher>;

/// Which store a device keeps.
#[derive(Debug, Clone)]
enum Kept {
    /// Plain maps in memory.
    Plain(MemoryDeviceStore),
    /// Sealed rows in memory.
    Sealed(Sealed),
}

/// A copy of a device's storage (an image of the tablet).
#[derive(Debug, Clone)]
pub enum Image {
    /// A plain store's maps.
    Plain(Box<Maps>),
    /// A sealed store's rows, as a thief would copy them.
    Sealed(RowsSnapshot),
}

/// A device store of the simulation. Clones share one store.
#[derive(Debug, Clone)]
pub struct SimStore {
    kept: Kept,
    /// Whether writes of one answer are separate, slow writes (plain only).
    torn: bool,
}

/// The data key of a user in the simulation (the server makes one per user;
/// every device of the user gets the same).
fn key_of(user: Uuid) -> [u8; 32] {
    let mut key = [0u8; 32];
    key[..16].copy_from_slice(user.as_bytes());
    key[16..].copy_from_slice(user.as_bytes());
    key
}

impl SimStore {
    /// An empty plain store.
    pub fn plain(torn: bool) -> SimStore {
        SimStore {
            kept: Kept::Plain(MemoryDeviceStore::new()),
            torn,
        }
    }

    /// An empty sealed store of `user`, its nonces drawn from `seed`.
    pub fn sealed(user: Uuid, seed: u64) -> SimStore {
        SimStore::sealed_over(MemoryRows::new(), user, seed)
    }

    fn sealed_over(rows: MemoryRows, user: Uuid, seed: u64) -> SimStore {
        let cipher = Rc::new(SoftwareCipher::new(key_of(user), seed));
        SimStore {
            kept: Kept::Sealed(SealedStore::new(rows, cipher, user)),
            torn: false,
        }
    }

    /// Whether this store seals its rows.
    pub fn is_sealed(&self) -> bool {
        matches!(self.kept, Kept::Sealed(_))
    }

    /// A copy of everything stored.
    pub fn image(&self) -> Image {
        match &self.kept {
            Kept::Plain(store) => Image::Plain(Box::new(store.snapshot())),
            Kept::Sealed(store) => Image::Sealed(store.rows().snapshot()),
        }
    }

    /// Puts an image of this store back (a restored tablet).
    pub fn restore(&self, image: Image) {
        match (&self.kept, image) {
            (Kept::Plain(store), Image::Plain(maps)) => store.restore(*maps),
            (Kept::Sealed(store), Image::Sealed(rows)) => store.rows().restore(rows),
            // An image is only ever put back on the tablet it was taken of.
            _ => {}
        }
    }

    /// A new tablet holding a copy of an image of `user`'s store.
    pub fn copy_of(image: Image, user: Uuid, seed: u64, torn: bool) -> SimStore {
        match image {
            Image::Plain(maps) => {
                let store = MemoryDeviceStore::new();
                store.restore(*maps);
                SimStore {
                    kept: Kept::Plain(store),
                    torn,
                }
            }
            Image::Sealed(rows) => {
                let copy = MemoryRows::new();
                copy.restore(rows);
                SimStore::sealed_over(copy, user, seed)
            }
        }
    }

    /// Whether writes are refused now.
    pub fn is_full(&self) -> bool {
        match &self.kept {
            Kept::Plain(store) => store.is_full(),
            Kept::Sealed(store) => store.rows().is_full(),
        }
    }

    /// Makes every write fail with [`DeviceStoreError::Full`] (or work again).
    pub fn set_full(&self, full: bool) {
        match &self.kept {
            Kept::Plain(store) => store.set_full(full),
            Kept::Sealed(store) => store.rows().set_full(full),
        }
    }
}

impl DeviceStore for SimStore {
    async fn meta(&self) -> Result<SyncMeta, DeviceStoreError> {
        match &self.kept {
            Kept::Plain(store) => store.meta().await,
            Kept::Sealed(store) => store.meta().await,
        }
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, DeviceStoreError> {
        match &self.kept {
            Kept::Plain(store) => store.outbox().await,
            Kept::Sealed(store) => store.outbox().await,
        }
    }

    async fn records(&self) -> Result<Vec<StoredRecord>, DeviceStoreError> {
        match &self.kept {
            Kept::Plain(store) => store.records().await,
            Kept::Sealed(store) => store.records().await,
        }
    }

    async fn sent(&self) -> Result<Vec<SentEntry>, DeviceStoreError> {
        match &self.kept {
            Kept::Plain(store) => store.sent().await,
            Kept::Sealed(store) => store.sent().await,
        }
    }

    async fn append(
        &self,
        record: Record,
        created_at: DateTime<Utc>,
    ) -> Result<OutboxEntry, DeviceStoreError> {
        match &self.kept {
            Kept::Plain(store) => store.append(record, created_at).await,
            Kept::Sealed(store) => store.append(record, created_at).await,
        }
    }

    async fn claim_client_id(&self, fresh: Uuid) -> Result<Uuid, DeviceStoreError> {
        match &self.kept {
            Kept::Plain(store) => store.claim_client_id(fresh).await,
            Kept::Sealed(store) => store.claim_client_id(fresh).await,
        }
    }

    async fn apply(&self, writes: &[Write]) -> Result<(), DeviceStoreError> {
        let store = match &self.kept {
            Kept::Sealed(store) => return store.apply(writes).await,
            Kept::Plain(store) => store,
        };
        if !self.torn {
            return store.apply(writes).await;
        }
        let mut applying = naervaer_sync::store::Applying::default();
        for write in writes {
            store.write_one(write, &mut applying)?;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        Ok(())
    }

    async fn clear(&self) -> Result<(), DeviceStoreError> {
        match &self.kept {
            Kept::Plain(store) => store.clear().await,
            Kept::Sealed(store) => store.clear().await,
        }
    }
}
