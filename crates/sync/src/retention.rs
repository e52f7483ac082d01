//! Which synced records leave the device under the municipality's retention
//! setting ([`RetentionPolicy`]). Only records the server has (the store's
//! records) are ever pruned; the outbox is not touched, so a change waiting
//! to be sent is never lost to retention.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use naervaer_domain::retention::RetentionPolicy;
use naervaer_domain::sync::Record;
use uuid::Uuid;

use crate::outbox::StoredRecord;
use crate::store::{DeviceStore, StoreError, Write};

/// The ids of the records that have fallen outside `policy` at `now`.
pub fn expired(
    records: &[StoredRecord],
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
) -> Vec<Uuid> {
    // Each citizen's newest registration (by observation day, then id) stays.
    let mut newest: BTreeMap<Uuid, (NaiveDate, Uuid)> = BTreeMap::new();
    for stored in records {
        if let Record::Loneliness(r) = &stored.record {
            let key = (r.observed_on, r.id);
            let slot = newest.entry(r.citizen_id).or_insert(key);
            *slot = (*slot).max(key);
        }
    }
    records
        .iter()
        .filter(|stored| {
            policy.expired(&stored.record, now, || match &stored.record {
                Record::Loneliness(r) => newest.get(&r.citizen_id) == Some(&(r.observed_on, r.id)),
                _ => false,
            })
        })
        .map(|stored| stored.record.id())
        .collect()
}

/// Removes the expired records from `store` in one apply; returns their ids.
pub async fn prune<S: DeviceStore>(
    store: &S,
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, StoreError> {
    let records = store.records().await?;
    let gone = expired(&records, policy, now);
    if !gone.is_empty() {
        let writes: Vec<Write> = gone.iter().copied().map(Write::Forget).collect();
        store.apply(&writes).await?;
    }
    Ok(gone)
}

#[cfg(test)]
#[path = "retention_tests.rs"]
mod tests;
