//! An in-memory [`DeviceStore`] for tests and the simulation. Clones share
//! one store, as the windows of one app share the browser's storage. It can
//! be told to refuse writes (a full disk), and to write one item at a time
//! with a pause between, like a store without transactions, so that a crash
//! can land between two writes of one answer.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use uuid::Uuid;

use crate::outbox::{OutboxEntry, SentEntry, StoredRecord, SyncMeta};
use crate::store::{Applying, DeviceStore, DeviceStoreError, Maps, Write, apply_to_maps};

#[derive(Debug, Default)]
struct Inner {
    maps: Maps,
    full: bool,
    torn: bool,
    writes: u64,
}

/// Device storage in memory. Cheap to clone; clones share the data.
#[derive(Debug, Clone, Default)]
pub struct MemoryDeviceStore {
    inner: Rc<RefCell<Inner>>,
}

impl MemoryDeviceStore {
    /// An empty store whose writes of one answer are one transaction.
    pub fn new() -> MemoryDeviceStore {
        MemoryDeviceStore::default()
    }

    /// An empty store that writes one item at a time, yielding between two
    /// (a crash between them leaves the first written and not the second).
    pub fn torn() -> MemoryDeviceStore {
        let store = MemoryDeviceStore::default();
        store.inner.borrow_mut().torn = true;
        store
    }

    /// Makes every write fail with [`DeviceStoreError::Full`] (or work again).
    pub fn set_full(&self, full: bool) {
        self.inner.borrow_mut().full = full;
    }

    /// Whether writes are refused now.
    pub fn is_full(&self) -> bool {
        self.inner.borrow().full
    }

    /// How many items were written so far (for reports).
    pub fn writes(&self) -> u64 {
        self.inner.borrow().writes
    }

    /// A copy of everything stored (a backup of the tablet, or its image).
    pub fn snapshot(&self) -> Maps {
        self.inner.borrow().maps.clone()
    }

    /// Puts a copy back: the device's storage goes back in time (a
    /// restored tablet), or a copied tablet starts from it.
    pub fn restore(&self, maps: Maps) {
        self.inner.borrow_mut().maps = maps;
    }

    /// A new store holding a copy of this one's data (a cloned tablet).
    pub fn copy(&self) -> MemoryDeviceStore {
        let store = MemoryDeviceStore::default();
        store.restore(self.snapshot());
        store.inner.borrow_mut().torn = self.inner.borrow().torn;
        store
    }

    fn check_room(&self) -> Result<(), DeviceStoreError> {
        if self.inner.borrow().full {
            Err(DeviceStoreError::Full)
        } else {
            Ok(())
        }
    }
}

impl MemoryDeviceStore {
    /// Applies one write of a list on its own (for a store that writes
    /// item by item, with time between: `applying` carries the list's
    /// guard from one to the next). Fails when writes are refused.
    pub fn write_one(
        &self,
        write: &Write,
        applying: &mut Applying,
    ) -> Result<(), DeviceStoreError> {
        self.check_room()?;
        let mut inner = self.inner.borrow_mut();
        apply_to_maps(write, applying, &mut inner.maps);
        inner.writes += 1;
        Ok(())
    }
}

/// Gives the executor one turn (pending once), without any runtime.
pub(crate) struct YieldOnce(pub(crate) bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl DeviceStore for MemoryDeviceStore {
    async fn meta(&self) -> Result<SyncMeta, DeviceStoreError> {
        Ok(self.inner.borrow().maps.meta.clone())
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, DeviceStoreError> {
        Ok(self.inner.borrow().maps.outbox.values().cloned().collect())
    }

    async fn records(&self) -> Result<Vec<StoredRecord>, DeviceStoreError> {
        Ok(self.inner.borrow().maps.records.values().cloned().collect())
    }

    async fn sent(&self) -> Result<Vec<SentEntry>, DeviceStoreError> {
        Ok(self.inner.borrow().maps.sent.values().cloned().collect())
    }

    async fn append(
        &self,
        record: Record,
        created_at: DateTime<Utc>,
    ) -> Result<OutboxEntry, DeviceStoreError> {
        if self.inner.borrow().torn {
            // Like a real store, the answer comes later: other work runs meanwhile.
            YieldOnce(false).await;
        }
        self.check_room()?;
        let mut inner = self.inner.borrow_mut();
        let maps = &mut inner.maps;
        let outbox_max = maps.outbox.keys().next_back().copied().unwrap_or(0);
        let seq = maps.meta.next_seq(outbox_max);
        let entry = OutboxEntry::new(seq, record, created_at);
        maps.outbox.insert(seq, entry.clone());
        maps.meta.last_seq = seq;
        inner.writes += 1;
        Ok(entry)
    }

    async fn claim_client_id(&self, fresh: Uuid) -> Result<Uuid, DeviceStoreError> {
        if let Some(id) = self.inner.borrow().maps.meta.client_id {
            return Ok(id);
        }
        self.check_room()?;
        let mut inner = self.inner.borrow_mut();
        inner.maps.meta.client_id = Some(fresh);
        inner.writes += 1;
        Ok(fresh)
    }

    async fn apply(&self, writes: &[Write]) -> Result<(), DeviceStoreError> {
        let torn = self.inner.borrow().torn;
        let mut applying = Applying::default();
        if !torn {
            // One transaction: room is checked once, then every write lands.
            self.check_room()?;
            for write in writes {
                self.write_one(write, &mut applying)?;
            }
            return Ok(());
        }
        for write in writes {
            self.write_one(write, &mut applying)?;
            YieldOnce(false).await;
        }
        Ok(())
    }

    async fn clear(&self) -> Result<(), DeviceStoreError> {
        self.inner.borrow_mut().maps = Maps::default();
        Ok(())
    }
}
