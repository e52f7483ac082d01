//! The device's sync decisions, one situation at a time.
// A failed unwrap here is the test failing.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use futures_executor::block_on;
use naervaer_domain::protocol::Record;
use naervaer_domain::{Change, Rejection};
use naervaer_sync::conformance::{answer, citizen, sample_note, stored};
use naervaer_sync::{
    Device, DeviceStore, DeviceStoreError, EntryState, HeaderState, MemoryDeviceStore, Recovery,
    SyncStatus, TakeError, Write, backoff_delay,
};
use uuid::Uuid;

/// The id a device goes on under when it must take a new one.
const FRESH: Uuid = Uuid::from_u128(0xf2e5);

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
        let store = MemoryDeviceStore::new();
        let device = Device::new(store.clone());
        let entry = device.save(sample_note(1), now()).await.unwrap();
        assert_eq!(entry.seq, 1);
        assert_eq!(store.outbox().await.unwrap(), vec![entry]);
    });
}

#[test]
fn a_refused_save_is_held_in_order_and_written_later() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = Device::new(store.clone());
        store.set_full(true);
        assert_eq!(
            device.save(sample_note(1), now()).await,
            Err(DeviceStoreError::Full)
        );
        assert_eq!(
            device.save(sample_note(2), now()).await,
            Err(DeviceStoreError::Full)
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
        let store = MemoryDeviceStore::new();
        holding_the_citizen(&store).await;
        let device = Device::new(store.clone());
        for n in 1..=3 {
            device.save(sample_note(n), now()).await.unwrap();
        }
        let (request, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        assert_eq!(request.client_id, Uuid::from_u128(7));
        assert_eq!(request.mutations.len(), 3);
        let change = Change::new(11, sample_note(1), None);
        let taken = device
            .take_response(
                &sent,
                &answer(3, vec![rejection(2)], vec![change], 11),
                now(),
                FRESH,
            )
            .await
            .unwrap();
        assert_eq!((taken.settled, taken.rejected, taken.pulled), (2, 1, 1));
        let outbox = store.outbox().await.unwrap();
        assert_eq!(outbox.len(), 1);
        assert!(matches!(outbox[0].state, EntryState::Rejected { .. }));
        let records = store.records().await.unwrap();
        assert_eq!(
            records.len(),
            3,
            "the citizen, and notes 1 and 3 are records now"
        );
        assert_eq!(store.meta().await.unwrap().cursor, 11);
        assert_eq!(device.counts().await.unwrap(), (0, 1));
    });
}

#[test]
fn an_entry_saved_by_another_window_after_the_request_stays_pending() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let window_a = Device::new(store.clone());
        let window_b = Device::new(store.clone());
        window_a.save(sample_note(1), now()).await.unwrap();
        let (_, sent) = window_a.next_request(Uuid::from_u128(7)).await.unwrap();
        // Window B saves seq 2 and pushes it; the server rejects it. Its
        // answer is lost. Then window A's answer arrives, acknowledging 2.
        window_b.save(sample_note(2), now()).await.unwrap();
        window_a
            .take_response(&sent, &answer(2, vec![], vec![], 0), now(), FRESH)
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
        let store = MemoryDeviceStore::new();
        let device = Device::new(store.clone());
        device.save(sample_note(1), now()).await.unwrap();
        let (_, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        let before = (store.outbox().await.unwrap(), store.meta().await.unwrap());
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
                Change::new(5, sample_note(8), None),
                Change::new(4, sample_note(9), None),
            ],
            5,
        );
        for bad in [stray_rejection, disorder] {
            let result = device.take_response(&sent, &bad, now(), FRESH).await;
            assert!(matches!(result, Err(TakeError::Unreadable(_))), "{bad:?}");
        }
        device
            .take_response(&sent, &backwards, now(), FRESH)
            .await
            .unwrap();
        let mut cursor_back = answer(1, vec![], vec![], 0);
        store
            .apply(&[naervaer_sync::Write::Cursor { cursor: 9, tag: 9 }])
            .await
            .unwrap();
        let (_, sent_at_9) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        cursor_back.next_cursor = 8;
        assert!(
            device
                .take_response(&sent_at_9, &cursor_back, now(), FRESH)
                .await
                .is_err()
        );
        assert_eq!(before.0.len(), 1);
    });
}

#[test]
fn a_repeat_of_an_answer_is_harmless() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = Device::new(store.clone());
        device.save(sample_note(1), now()).await.unwrap();
        device.save(sample_note(2), now()).await.unwrap();
        let (_, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        let a = answer(2, vec![rejection(2)], vec![], 4);
        device.take_response(&sent, &a, now(), FRESH).await.unwrap();
        let after_once = (
            store.outbox().await.unwrap(),
            store.records().await.unwrap(),
            store.meta().await.unwrap(),
        );
        device.take_response(&sent, &a, now(), FRESH).await.unwrap();
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
        let store = MemoryDeviceStore::torn();
        let device = Device::new(store.clone());
        store.set_full(true);
        assert_eq!(
            device.save(sample_note(1), now()).await,
            Err(DeviceStoreError::Full)
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

/// A store holding the sample notes' citizen (as after a first pull).
async fn holding_the_citizen(store: &MemoryDeviceStore) {
    store
        .apply(&[Write::Record(stored(1, citizen("Else")))])
        .await
        .unwrap();
}

/// A device with notes 1..=3 settled under client 7 and note 4 pending,
/// having synced once with the server's database (cursor 10).
async fn settled_three(store: &MemoryDeviceStore) -> Device<MemoryDeviceStore> {
    holding_the_citizen(store).await;
    let device = Device::new(store.clone());
    for n in 1..=3 {
        device.save(sample_note(n), now()).await.unwrap();
    }
    let (_, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
    device
        .take_response(&sent, &answer(3, vec![], vec![], 10), now(), FRESH)
        .await
        .unwrap();
    device.save(sample_note(4), now()).await.unwrap();
    device
}

fn outbox_ids(outbox: &[naervaer_sync::OutboxEntry]) -> Vec<(u64, Uuid)> {
    outbox.iter().map(|e| (e.seq, e.record.id())).collect()
}

#[test]
fn a_server_that_lost_settled_changes_gets_them_again_under_a_new_client() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = settled_three(&store).await;
        assert_eq!(store.sent().await.unwrap().len(), 3);
        let (request, sent) = device.next_request(Uuid::from_u128(99)).await.unwrap();
        assert_eq!(request.acknowledged_seq, 3, "the device says what it holds");
        // The database was restored to when it held only seq 1 of client 7.
        let mut lost = answer(1, vec![], vec![], 10);
        lost.seqs_lost = true;
        let taken = device
            .take_response(&sent, &lost, now(), FRESH)
            .await
            .unwrap();
        // All three are sent again (the server keeps each record once):
        // a copy of this tablet may have sent other changes as seq 1 since.
        assert_eq!(taken.recovery, Some(Recovery::ChangesSentAgain(3)));
        let meta = store.meta().await.unwrap();
        assert_eq!(meta.client_id, Some(FRESH));
        let want: Vec<(u64, Uuid)> = [1, 2, 3, 4]
            .iter()
            .enumerate()
            .map(|(i, n)| (i as u64 + 1, sample_note(*n).id()))
            .collect();
        assert_eq!(outbox_ids(&store.outbox().await.unwrap()), want);
        let (again, _) = device.next_request(Uuid::from_u128(99)).await.unwrap();
        assert_eq!(again.client_id, FRESH);
        assert_eq!(again.acknowledged_seq, 0);
        assert_eq!(again.mutations.len(), 4);
    });
}

#[test]
fn a_cursor_the_feed_no_longer_has_pulls_everything_again() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = settled_three(&store).await;
        assert_eq!(
            store.records().await.unwrap().len(),
            4,
            "the citizen and her 3 notes"
        );
        let (_, sent) = device.next_request(Uuid::from_u128(99)).await.unwrap();
        let mut lost = answer(3, vec![], vec![], 10);
        lost.feed_lost = true;
        let taken = device
            .take_response(&sent, &lost, now(), FRESH)
            .await
            .unwrap();
        assert_eq!(taken.recovery, Some(Recovery::FeedRestored));
        let meta = store.meta().await.unwrap();
        assert_eq!((meta.cursor, meta.cursor_tag), (0, 0));
        assert!(store.records().await.unwrap().is_empty());
        // Whatever the server settled since the backup may be gone: every
        // settled change is sent again under a new client id.
        assert_eq!(meta.client_id, Some(FRESH));
        assert_eq!(
            store.outbox().await.unwrap().len(),
            4,
            "notes 1..3 again, and note 4"
        );
    });
}

#[test]
fn another_database_is_pulled_from_the_start_and_sent_everything() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = settled_three(&store).await;
        let (request, sent) = device.next_request(Uuid::from_u128(99)).await.unwrap();
        assert_eq!(
            request.database_id,
            Some(naervaer_sync::conformance::DATABASE)
        );
        let mut other = answer(0, vec![], vec![], 0);
        other.database_id = Some(Uuid::from_u128(0xdb2));
        other.feed_lost = true;
        other.seqs_lost = true;
        device
            .take_response(&sent, &other, now(), FRESH)
            .await
            .unwrap();
        let meta = store.meta().await.unwrap();
        assert_eq!(meta.database_id, Some(Uuid::from_u128(0xdb2)));
        assert_eq!(meta.client_id, Some(FRESH));
        assert_eq!(
            store.outbox().await.unwrap().len(),
            4,
            "all four sent again"
        );
        assert!(store.sent().await.unwrap().is_empty());
    });
}

#[test]
fn a_reused_seq_settles_what_came_before_it_and_goes_on_under_a_new_client() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = Device::new(store.clone());
        for n in 1..=3 {
            device.save(sample_note(n), now()).await.unwrap();
        }
        let (_, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        // A copy of this tablet already sent seqs 2 and 3 with other notes.
        let mut reused = answer(3, vec![], vec![], 0);
        reused.seq_reused = Some(2);
        let taken = device
            .take_response(&sent, &reused, now(), FRESH)
            .await
            .unwrap();
        assert_eq!(taken.settled, 1);
        assert_eq!(taken.recovery, Some(Recovery::NewClientId));
        assert_eq!(store.sent().await.unwrap().len(), 1);
        let want = vec![(1, sample_note(2).id()), (2, sample_note(3).id())];
        assert_eq!(outbox_ids(&store.outbox().await.unwrap()), want);
        assert_eq!(store.meta().await.unwrap().client_id, Some(FRESH));
    });
}

#[test]
fn a_server_holding_seqs_this_device_never_made_means_a_new_client() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = Device::new(store.clone());
        device.save(sample_note(1), now()).await.unwrap();
        let (_, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        // This tablet's storage was restored from an image: the server has
        // settled five changes of its client id, it remembers one.
        let taken = device
            .take_response(&sent, &answer(5, vec![], vec![], 0), now(), FRESH)
            .await
            .unwrap();
        assert_eq!(taken.recovery, Some(Recovery::NewClientId));
        assert_eq!(taken.settled, 1, "seq 1 was sent and the server has it");
        let meta = store.meta().await.unwrap();
        assert_eq!((meta.client_id, meta.last_seq), (Some(FRESH), 0));
        let next = device.save(sample_note(2), now()).await.unwrap();
        assert_eq!(next.seq, 1);
    });
}

#[test]
fn an_answer_to_a_request_from_before_a_restart_is_not_taken() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = settled_three(&store).await;
        let (_, before) = device.next_request(Uuid::from_u128(99)).await.unwrap();
        let (_, sent) = device.next_request(Uuid::from_u128(99)).await.unwrap();
        let mut lost = answer(3, vec![], vec![], 10);
        lost.feed_lost = true;
        device
            .take_response(&sent, &lost, now(), FRESH)
            .await
            .unwrap();
        let late = answer(4, vec![], vec![Change::new(12, sample_note(9), None)], 12);
        let taken = device
            .take_response(&before, &late, now(), FRESH)
            .await
            .unwrap();
        assert!(taken.stale);
        assert_eq!(store.meta().await.unwrap().cursor, 0);
        assert!(store.records().await.unwrap().is_empty());
        // The restart's outbox (all four sent again), untouched by the late answer.
        assert_eq!(store.outbox().await.unwrap().len(), 4);
        assert!(store.outbox().await.unwrap().iter().all(|e| e.is_pending()));
    });
}

#[test]
fn a_citizen_who_moved_to_another_team_leaves_the_device() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = settled_three(&store).await;
        let citizen = naervaer_domain::Citizen {
            id: Uuid::from_u128(0xc1),
            name: "Else".into(),
            address: "Vej 1".into(),
            team: "Nord".into(),
        };
        store
            .apply(&[Write::Record(stored(5, Record::Citizen(citizen.clone())))])
            .await
            .unwrap();
        let moved = naervaer_domain::Citizen {
            team: "Syd".into(),
            ..citizen
        };
        let (_, sent) = device.next_request(Uuid::from_u128(99)).await.unwrap();
        let page = answer(
            3,
            vec![],
            vec![Change::new(11, Record::Citizen(moved), None)],
            11,
        );
        let taken = device
            .take_response(&sent, &page, now(), FRESH)
            .await
            .unwrap();
        assert_eq!(taken.forgotten, vec![Uuid::from_u128(0xc1)]);
        assert!(
            store.records().await.unwrap().is_empty(),
            "she and her notes left"
        );
        assert_eq!(store.outbox().await.unwrap().len(), 1, "note 4 still waits");
    });
}

#[test]
fn a_worker_moved_to_another_team_forgets_and_pulls_again() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = settled_three(&store).await;
        let (_, sent) = device.next_request(Uuid::from_u128(99)).await.unwrap();
        let mut moved = answer(3, vec![], vec![], 12);
        moved.scope = "team:Syd".into();
        let taken = device
            .take_response(&sent, &moved, now(), FRESH)
            .await
            .unwrap();
        assert_eq!(taken.recovery, Some(Recovery::ScopeChanged));
        let meta = store.meta().await.unwrap();
        assert_eq!(meta.scope.as_deref(), Some("team:Syd"));
        assert_eq!(meta.cursor, 0);
        assert!(store.records().await.unwrap().is_empty());
    });
}

#[test]
fn a_change_this_app_cannot_read_is_skipped_and_counted() {
    block_on(async {
        let store = MemoryDeviceStore::new();
        let device = Device::new(store.clone());
        let (_, sent) = device.next_request(Uuid::from_u128(7)).await.unwrap();
        // Written as text: a serde_json Value would sort "data" before "kind".
        let readable = serde_json::to_string(&sample_note(1)).unwrap();
        let text = format!(
            r#"{{"acknowledged_seq": 0, "rejections": [], "gap": null,
                "changes": [
                    {{"seq": 1, "record": {{"kind": "hologram", "data": {{}}}}}},
                    {{"seq": 2, "record": {{"kind": "note", "data": {{"id": 5}}}}}},
                    {{"seq": 3, "record": {readable},
                     "received_at": "2026-11-30T12:00:00Z", "shiny": true}}
                ],
                "next_cursor": 3, "more": false, "server_time": "2026-11-30T12:00:00Z",
                "a_field_from_the_future": {{"x": 1}}}}"#
        );
        let response: naervaer_domain::SyncResponse = serde_json::from_str(&text).unwrap();
        let taken = device
            .take_response(&sent, &response, now(), FRESH)
            .await
            .unwrap();
        assert_eq!((taken.pulled, taken.skipped), (1, 2));
        let meta = store.meta().await.unwrap();
        assert_eq!((meta.cursor, meta.skipped), (3, 2));
        assert_eq!(store.records().await.unwrap()[0].received_at, Some(now()));
    });
}
