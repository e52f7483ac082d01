//! Tests of `retention.rs`.

use super::*;
use crate::conformance::sample_note;
use crate::memory::MemoryStore;
use chrono::{Duration, TimeZone};
use naervaer_domain::loneliness::LonelinessRegistration;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()
}

fn registration(id: u128, citizen: u128, days_ago: i64) -> StoredRecord {
    StoredRecord {
        change_seq: id as u64,
        record: Record::Loneliness(LonelinessRegistration::empty(
            Uuid::from_u128(id),
            Uuid::from_u128(citizen),
            (now() - Duration::days(days_ago)).date_naive(),
            (None, "Anna".into()),
            now() - Duration::days(days_ago),
        )),
    }
}

#[test]
fn each_citizens_newest_registration_stays_however_old() {
    let records = vec![
        registration(1, 10, 200),
        registration(2, 10, 120),
        registration(3, 11, 300),
        registration(4, 12, 5),
        registration(5, 12, 100),
    ];
    let mut gone = expired(&records, &RetentionPolicy::default(), now());
    gone.sort();
    assert_eq!(gone, vec![Uuid::from_u128(1), Uuid::from_u128(5)]);
}

#[test]
fn pruning_removes_old_synced_records_and_never_a_pending_change() {
    futures_executor::block_on(async {
        let store = MemoryStore::default();
        let mut old = sample_note(1);
        if let Record::Note(n) = &mut old {
            n.written_at = now() - Duration::days(120);
        }
        let recent = sample_note(2);
        store
            .apply(&[
                Write::Record(StoredRecord {
                    change_seq: 1,
                    record: old.clone(),
                }),
                Write::Record(StoredRecord {
                    change_seq: 2,
                    record: recent.clone(),
                }),
            ])
            .await
            .unwrap();
        // An old change still waiting to be sent.
        store.append(old.clone(), now()).await.unwrap();
        let policy = RetentionPolicy::default();
        let pruned = prune(&store, &policy, now()).await.unwrap();
        assert_eq!(pruned, vec![old.id()]);
        let left: Vec<Uuid> = store
            .records()
            .await
            .unwrap()
            .iter()
            .map(|r| r.record.id())
            .collect();
        assert_eq!(left, vec![recent.id()]);
        assert_eq!(store.outbox().await.unwrap()[0].record, old);
        assert!(
            prune(&store, &policy, now()).await.unwrap().is_empty(),
            "nothing twice"
        );
    });
}
