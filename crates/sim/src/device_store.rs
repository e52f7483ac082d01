//! The simulation's device store: the in-memory store, optionally written
//! one item at a time with a millisecond of simulated time between items
//! (as browser storage without transactions writes key by key), so that a
//! crash or a full disk can land between two writes of one answer.

use std::time::Duration;

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use naervaer_sync::{
    DeviceStore, DeviceStoreError, MemoryDeviceStore, OutboxEntry, SentEntry, StoredRecord,
    SyncMeta, Write,
};
use uuid::Uuid;

/// A device store of the simulation. Clones share one store.
#[derive(Debug, Clone)]
pub struct SimStore {
    /// The data.
    pub inner: MemoryDeviceStore,
    /// Whether writes of one answer are separate, slow writes.
    pub torn: bool,
}

impl DeviceStore for SimStore {
    async fn meta(&self) -> Result<SyncMeta, DeviceStoreError> {
        self.inner.meta().await
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, DeviceStoreError> {
        self.inner.outbox().await
    }

    async fn records(&self) -> Result<Vec<StoredRecord>, DeviceStoreError> {
        self.inner.records().await
    }

    async fn sent(&self) -> Result<Vec<SentEntry>, DeviceStoreError> {
        self.inner.sent().await
    }

    async fn append(
        &self,
        record: Record,
        created_at: DateTime<Utc>,
    ) -> Result<OutboxEntry, DeviceStoreError> {
        self.inner.append(record, created_at).await
    }

    async fn claim_client_id(&self, fresh: Uuid) -> Result<Uuid, DeviceStoreError> {
        self.inner.claim_client_id(fresh).await
    }

    async fn apply(&self, writes: &[Write]) -> Result<(), DeviceStoreError> {
        if !self.torn {
            return self.inner.apply(writes).await;
        }
        let mut applying = naervaer_sync::store::Applying::default();
        for write in writes {
            self.inner.write_one(write, &mut applying)?;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        Ok(())
    }

    async fn clear(&self) -> Result<(), DeviceStoreError> {
        self.inner.clear().await
    }
}
