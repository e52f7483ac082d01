//! Which synced records leave the device under the municipality's retention
//! setting ([`RetentionPolicy`]). Only records the server has (the store's
//! records) are ever pruned; the outbox is not touched, so a change waiting
//! to be sent is never lost to retention.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use naervaer_domain::protocol::Record;
use naervaer_domain::retention::RetentionPolicy;
use uuid::Uuid;

use crate::outbox::StoredRecord;
use crate::store::{DeviceStore, DeviceStoreError, Write};

/// The ids of the records that have fallen outside `policy` at `now` (the
/// server's time). A note the device settled itself and has not yet pulled
/// back from the server (`change_seq` 0) stays: its age is reckoned from
/// when the server received it, which the server has not said yet. Other
/// records' ages do not depend on that.
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
            (stored.change_seq > 0 || !matches!(stored.record, Record::Note(_)))
                && policy.expired(&stored.record, stored.received_at, now, || {
                    match &stored.record {
                        Record::Loneliness(r) => {
                            newest.get(&r.citizen_id) == Some(&(r.observed_on, r.id))
                        }
                        _ => false,
                    }
                })
        })
        .map(|stored| stored.record.id())
        .collect()
}

/// Removes the expired records, and the sent-log entries kept long
/// enough, from `store` in one apply; returns the records' ids. `now` is
/// the server's time (the device's clock corrected by the last answer).
pub async fn prune<S: DeviceStore>(
    store: &S,
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, DeviceStoreError> {
    let records = store.records().await?;
    let gone = expired(&records, policy, now);
    let mut writes: Vec<Write> = gone.iter().copied().map(Write::Forget).collect();
    writes.extend(
        store
            .sent()
            .await?
            .iter()
            .filter(|e| policy.sent_expired(e.settled_at, now))
            .map(|e| Write::ForgetSent(e.record.id())),
    );
    if !writes.is_empty() {
        store.apply(&writes).await?;
    }
    Ok(gone)
}

#[cfg(test)]
#[path = "retention_tests.rs"]
mod tests;
