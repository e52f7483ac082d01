//! Tests of `retention.rs`.

use super::*;
use crate::conformance::{sample_note, stored};
use crate::memory::MemoryDeviceStore;
use chrono::{Duration, TimeZone};
use naervaer_domain::loneliness::LonelinessRegistration;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()
}

fn registration(id: u128, citizen: u128, days_ago: i64) -> StoredRecord {
    stored(
        id as u64,
        Record::Loneliness(LonelinessRegistration::empty(
            Uuid::from_u128(id),
            Uuid::from_u128(citizen),
            (now() - Duration::days(days_ago)).date_naive(),
            (None, "Anna".into()),
            now() - Duration::days(days_ago),
        )),
    )
}

fn written_days_ago(n: u128, days: i64) -> Record {
    let mut note = sample_note(n);
    if let Record::Note(n) = &mut note {
        n.written_at = now() - Duration::days(days);
    }
    note
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
        let store = MemoryDeviceStore::default();
        let old = written_days_ago(1, 120);
        let recent = sample_note(2);
        store
            .apply(&[
                Write::Record(stored(1, old.clone())),
                Write::Record(stored(2, recent.clone())),
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

#[test]
fn a_note_from_a_tablet_whose_clock_is_months_behind_stays_by_the_servers_time() {
    // Written "200 days ago" by a wrong clock, received by the server today.
    let wrong_clock = StoredRecord {
        received_at: Some(now() - Duration::hours(1)),
        ..stored(3, written_days_ago(1, 200))
    };
    // Received by the server 100 days ago, whatever the device said.
    let old = StoredRecord {
        received_at: Some(now() - Duration::days(100)),
        ..stored(4, written_days_ago(2, 1))
    };
    let gone = expired(&[wrong_clock, old], &RetentionPolicy::default(), now());
    assert_eq!(gone, vec![sample_note(2).id()]);
}

#[test]
fn a_note_not_yet_pulled_back_from_the_server_stays_other_records_do_not() {
    // Settled by this device (change 0): the server has not said when it
    // received the note yet.
    let own = stored(0, written_days_ago(1, 200));
    assert!(expired(&[own], &RetentionPolicy::default(), now()).is_empty());
    // A registration's age is its observation day, whoever says so.
    let old = registration(7, 10, 200);
    let newer = registration(8, 10, 1);
    let own_old = StoredRecord {
        change_seq: 0,
        ..old
    };
    assert_eq!(
        expired(&[own_old, newer], &RetentionPolicy::default(), now()),
        vec![Uuid::from_u128(7)]
    );
}

#[test]
fn sent_changes_leave_after_the_settings_days() {
    futures_executor::block_on(async {
        let store = MemoryDeviceStore::default();
        store.claim_client_id(Uuid::from_u128(7)).await.unwrap();
        store.append(sample_note(1), now()).await.unwrap();
        store.append(sample_note(2), now()).await.unwrap();
        store
            .apply(&[
                Write::Acknowledge(2),
                Write::Settle {
                    seq: 1,
                    at: now() - Duration::days(31),
                },
                Write::Settle {
                    seq: 2,
                    at: now() - Duration::days(29),
                },
            ])
            .await
            .unwrap();
        prune(&store, &RetentionPolicy::default(), now())
            .await
            .unwrap();
        let left: Vec<u64> = store.sent().await.unwrap().iter().map(|e| e.seq).collect();
        assert_eq!(left, vec![2]);
    });
}
