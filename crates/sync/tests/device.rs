//! The device's sync decisions, one situation at a time.
// A failed unwrap here is the test failing.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use futures_executor::block_on;
use naervaer_domain::sync::Record;
use naervaer_domain::{Change, Rejection};
use naervaer_sync::conformance::{answer, sample_note};
use naervaer_sync::{
    Device, DeviceStore, EntryState, HeaderState, MemoryStore, StoreError, SyncStatus, TakeError,
    backoff_delay,
};
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()
}

fn rejection(seq: u64) -> Rejection {
    Rejection {
        seq,
        code: "empty_field".into(),
        message: "Teksten er tom.".into(),
    }
}

#[test]
fn a_save_is_in_the_store_when_it_returns() {
    block_on(async {
        let store = MemoryStore::new();
        let device = Device::new(store.clone());
        let entry = device.save(sample_note(1), now()).await.unwrap();
        assert_eq!(entry.seq, 1);
        assert_eq!(store.outbox().await.unwrap(), vec![entry]);
    });
}

#[test]
fn a_refused_save_is_held_in_order_and_written_later() {
    block_on(async {
        let store = MemoryStore::new();
        let device = Device::new(store.clone());
        store.set_full(true);
        assert_eq!(
            device.save(sample_note(1), now()).await,
            Err(StoreError::Full)
        );
        assert_eq!(
            device.save(sample_note(2), now()).await,
            Err(StoreError::Full)
        );
        assert!(store.outbox().await.unwrap().is_empty());
        assert_eq!(device.counts().await.unwrap(), (2, 0));
        store.set_full(false);
        let third = device.save(sample_note(3), now()).await.unwrap();
        assert_eq!(third.seq, 3, "held saves are written first, in order");
        let texts: Vec<Record> = store
            .outbox()
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.record)
            .collect();
        assert_eq!(texts, vec![sample_note(1), sample_note(2), sample_note(3)]);
        assert_eq!(device.held_count(), 0);
    });
}

#[test]
fn an_answer_settles_what_was_sent_and_keeps_what_was_rejected() {
    block_on(async {
        let store = MemoryStore::new();
        let device = Device::new(store.clone());
        for n in 1..=3 {
            device.save(sample_note(n), now()).await.unwrap();
        }
        let (request, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        assert_eq!(request.client_id, Uuid::from_u128(7));
        assert_eq!(request.mutations.len(), 3);
        let change = Change {
            seq: 11,
            record: sample_note(1),
        };
        let taken = device
            .take_response(
                &sent,
                &answer(3, vec![rejection(2)], vec![change], 11),
                now(),
            )
            .await
            .unwrap();
        assert_eq!((taken.settled, taken.rejected, taken.pulled), (2, 1, 1));
        let outbox = store.outbox().await.unwrap();
        assert_eq!(outbox.len(), 1);
        assert!(matches!(outbox[0].state, EntryState::Rejected { .. }));
        let records = store.records().await.unwrap();
        assert_eq!(records.len(), 2, "notes 1 and 3 are records now");
        assert_eq!(store.meta().await.unwrap().cursor, 11);
        assert_eq!(device.counts().await.unwrap(), (0, 1));
    });
}

#[test]
fn an_entry_saved_by_another_window_after_the_request_stays_pending() {
    block_on(async {
        let store = MemoryStore::new();
        let window_a = Device::new(store.clone());
        let window_b = Device::new(store.clone());
        window_a.save(sample_note(1), now()).await.unwrap();
        let (_, sent) = window_a.next_request(Uuid::from_u128(7)).await.unwrap();
        // Window B saves seq 2 and pushes it; the server rejects it. Its
        // answer is lost. Then window A's answer arrives, acknowledging 2.
        window_b.save(sample_note(2), now()).await.unwrap();
        window_a
            .take_response(&sent, &answer(2, vec![], vec![], 0), now())
            .await
            .unwrap();
        let outbox = store.outbox().await.unwrap();
        assert_eq!(outbox.len(), 1, "seq 2 was never confirmed to this window");
        assert_eq!(outbox[0].seq, 2);
        assert!(
            outbox[0].is_pending(),
            "it is sent again to hear the verdict"
        );
        let (again, _) = window_b.next_request(Uuid::from_u128(8)).await.unwrap();
        assert_eq!(
            again.client_id,
            Uuid::from_u128(7),
            "one client id for both windows"
        );
        assert_eq!(
            again.mutations.iter().map(|m| m.seq).collect::<Vec<_>>(),
            vec![2]
        );
    });
}

#[test]
fn an_answer_that_does_not_fit_changes_nothing() {
    block_on(async {
        let store = MemoryStore::new();
        let device = Device::new(store.clone());
        device.save(sample_note(1), now()).await.unwrap();
        let (_, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        let before = (store.outbox().await.unwrap(), store.meta().await.unwrap());
        let too_far = answer(5, vec![], vec![], 3);
        let backwards = {
            let mut a = answer(1, vec![], vec![], 0);
            a.next_cursor = 0;
            a
        };
        let stray_rejection = answer(0, vec![rejection(1)], vec![], 0);
        let disorder = answer(
            1,
            vec![],
            vec![
                Change {
                    seq: 5,
                    record: sample_note(8),
                },
                Change {
                    seq: 4,
                    record: sample_note(9),
                },
            ],
            5,
        );
        for bad in [too_far, stray_rejection, disorder] {
            let result = device.take_response(&sent, &bad, now()).await;
            assert!(matches!(result, Err(TakeError::Unreadable(_))), "{bad:?}");
        }
        device
            .take_response(&sent, &backwards, now())
            .await
            .unwrap();
        let mut cursor_back = answer(1, vec![], vec![], 0);
        store
            .apply(&[naervaer_sync::Write::Cursor(9)])
            .await
            .unwrap();
        let (_, sent_at_9) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        cursor_back.next_cursor = 8;
        assert!(
            device
                .take_response(&sent_at_9, &cursor_back, now())
                .await
                .is_err()
        );
        assert_eq!(before.0.len(), 1);
    });
}

#[test]
fn a_repeat_of_an_answer_is_harmless() {
    block_on(async {
        let store = MemoryStore::new();
        let device = Device::new(store.clone());
        device.save(sample_note(1), now()).await.unwrap();
        device.save(sample_note(2), now()).await.unwrap();
        let (_, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        let a = answer(2, vec![rejection(2)], vec![], 4);
        device.take_response(&sent, &a, now()).await.unwrap();
        let after_once = (
            store.outbox().await.unwrap(),
            store.records().await.unwrap(),
            store.meta().await.unwrap(),
        );
        device.take_response(&sent, &a, now()).await.unwrap();
        let after_twice = (
            store.outbox().await.unwrap(),
            store.records().await.unwrap(),
            store.meta().await.unwrap(),
        );
        assert_eq!(after_once, after_twice);
    });
}

#[test]
fn backoff_doubles_from_five_seconds_up_to_five_minutes() {
    let secs: Vec<u64> = (1..=9).map(|f| backoff_delay(f).as_secs()).collect();
    assert_eq!(secs, vec![5, 10, 20, 40, 80, 160, 300, 300, 300]);
}

#[test]
fn all_synced_only_when_nothing_waits_and_a_sync_succeeded() {
    let mut status = SyncStatus::default();
    assert_eq!(
        HeaderState::of(0, &status, None),
        HeaderState::Waiting,
        "never synced"
    );
    assert_eq!(
        HeaderState::of(0, &status, Some(now())),
        HeaderState::AllSynced
    );
    assert_eq!(
        HeaderState::of(1, &status, Some(now())),
        HeaderState::Waiting
    );
    let wait = status.failed(&naervaer_sync::SyncError::Transport(
        naervaer_sync::TransportError::Offline,
    ));
    assert_eq!(wait, Some(backoff_delay(1)));
    assert_eq!(HeaderState::of(0, &status, Some(now())), HeaderState::Error);
    let wait = status.failed(&naervaer_sync::SyncError::Transport(
        naervaer_sync::TransportError::Unauthorized,
    ));
    assert_eq!(wait, None, "a person must log in first");
    assert!(status.needs_login);
    status.succeeded(now());
    assert_eq!(HeaderState::of(0, &status, None), HeaderState::AllSynced);
    status.running = true;
    assert_eq!(HeaderState::of(0, &status, None), HeaderState::Running);
}

/// Two saves of one window at once (a store that answers later) write a
/// held change once, not once each.
#[test]
fn two_saves_at_once_write_a_held_change_once() {
    block_on(async {
        let store = MemoryStore::torn();
        let device = Device::new(store.clone());
        store.set_full(true);
        assert_eq!(
            device.save(sample_note(1), now()).await,
            Err(StoreError::Full)
        );
        store.set_full(false);
        let (b, c) = futures_util::future::join(
            device.save(sample_note(2), now()),
            device.save(sample_note(3), now()),
        )
        .await;
        assert!(b.is_ok() && c.is_ok());
        let mut ids: Vec<Uuid> = store
            .outbox()
            .await
            .unwrap()
            .iter()
            .map(|e| e.record.id())
            .collect();
        ids.sort();
        let mut want: Vec<Uuid> = (1..=3).map(|n| sample_note(n).id()).collect();
        want.sort();
        assert_eq!(ids, want, "each change stored exactly once");
    });
}
