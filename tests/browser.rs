//! The device store in a real browser (headless Chromium through
//! chromedriver): real localStorage, one key per record and outbox entry,
//! driven through the sync crate's `DeviceStore` and `Device`.

#![cfg(target_arch = "wasm32")]
// A failed unwrap here is the test failing, which is what it should do.
#![allow(clippy::unwrap_used)]

use chrono::Utc;
use naervaer_app::data::{EntryState, RecordStatus};
use naervaer_app::store::{LocalStore, StoreError};
use naervaer_domain::sync::Record;
use naervaer_domain::{Change, Citizen, NoteCategory, Rejection, VisitNote};
use naervaer_sync::conformance::answer as response;
use naervaer_sync::{Device, DeviceStore, conformance};
use uuid::Uuid;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_id() -> Uuid {
    Uuid::parse_str(&web_sys::window().unwrap().crypto().unwrap().random_uuid()).unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn key_count(prefix: &str) -> u32 {
    let s = storage();
    (0..s.length().unwrap())
        .filter(|i| s.key(*i).unwrap().is_some_and(|k| k.starts_with(prefix)))
        .count() as u32
}

fn note(citizen: Uuid, text: &str) -> VisitNote {
    let id = fresh_id();
    VisitNote {
        id,
        note_id: id,
        replaces: Vec::new(),
        citizen_id: citizen,
        visit_id: None,
        category: NoteCategory::Observation,
        text: text.into(),
        author_id: None,
        author_name: "Anna Holm".into(),
        written_at: Utc::now(),
    }
}

#[wasm_bindgen_test]
async fn the_browser_store_passes_the_device_store_conformance_suite() {
    let failures = conformance::run_all(|| {
        let user = fresh_id();
        (LocalStore::for_user(user), LocalStore::for_user(user))
    })
    .await;
    assert!(failures.is_empty(), "{failures:#?}");
}

#[wasm_bindgen_test]
async fn saves_survive_a_reload_each_under_its_own_key() {
    let user = fresh_id();
    let device = Device::new(LocalStore::for_user(user));
    let citizen = fresh_id();
    let prefix = format!("nv:{user}:out:");
    for n in 1..=3 {
        let entry = device
            .save(
                Record::Note(note(citizen, &format!("notat {n}"))),
                Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(entry.seq, n);
        assert_eq!(key_count(&prefix), n as u32, "one new key per entry");
    }
    let (data, damaged) = LocalStore::for_user(user).load().unwrap();
    assert_eq!(damaged, 0);
    assert_eq!(data.pending_count(), 3);
    let notes = data.notes_of(citizen);
    assert_eq!(notes.len(), 3);
    assert!(notes.iter().all(|n| n.heads[0].1 == RecordStatus::Waiting));
}

/// Data as the version before the sync crate wrote it: records as plain
/// `{"kind","data"}`, bookkeeping without `last_seq`, an outbox entry past
/// the acknowledgement. It is read, sent, and the next save follows it.
#[wasm_bindgen_test]
async fn data_written_by_the_previous_version_is_read_and_sent() {
    let user = fresh_id();
    let citizen = fresh_id();
    let old_note = note(citizen, "fra før opdateringen");
    let waiting = note(citizen, "venter fra før");
    let p = format!("nv:{user}:");
    let s = storage();
    s.set_item(
        &format!("{p}meta"),
        r#"{"client_id":"6f1c1a43-2c8f-4bf0-9b2c-4d7a3b1e2a10","cursor":12,"acknowledged_seq":4,"last_success":null}"#,
    )
    .unwrap();
    s.set_item(
        &format!("{p}rec:note:{}", old_note.id),
        &serde_json::to_string(&Record::Note(old_note.clone())).unwrap(),
    )
    .unwrap();
    s.set_item(
        &format!("{p}out:000000000005"),
        &format!(
            r#"{{"seq":5,"record":{},"state":"pending","created_at":"2026-11-29T09:00:00Z"}}"#,
            serde_json::to_string(&Record::Note(waiting.clone())).unwrap()
        ),
    )
    .unwrap();
    let store = LocalStore::for_user(user);
    let (data, damaged) = store.load().unwrap();
    assert_eq!(damaged, 0);
    assert!(data.has(&old_note.id));
    let device = Device::new(store.clone());
    let (request, _) = device.next_request(fresh_id()).await.unwrap();
    assert_eq!(
        request.client_id.to_string(),
        "6f1c1a43-2c8f-4bf0-9b2c-4d7a3b1e2a10"
    );
    assert_eq!(request.cursor, 12);
    assert_eq!(
        request.mutations.iter().map(|m| m.seq).collect::<Vec<_>>(),
        vec![5]
    );
    let next = device
        .save(Record::Note(note(citizen, "efter")), Utc::now())
        .await
        .unwrap();
    assert_eq!(next.seq, 6, "no seq is reused");
    store.clear().await.unwrap();
}

#[wasm_bindgen_test]
async fn users_never_see_each_others_data_and_clearing_one_leaves_the_other() {
    let (a, b) = (fresh_id(), fresh_id());
    let citizen = fresh_id();
    let (store_a, store_b) = (LocalStore::for_user(a), LocalStore::for_user(b));
    store_a
        .append(Record::Note(note(citizen, "a")), Utc::now())
        .await
        .unwrap();
    store_b
        .append(Record::Note(note(citizen, "b")), Utc::now())
        .await
        .unwrap();
    assert_eq!(store_a.outbox().await.unwrap().len(), 1);
    store_a.clear().await.unwrap();
    assert!(store_a.outbox().await.unwrap().is_empty());
    assert_eq!(store_b.outbox().await.unwrap().len(), 1);
    store_b.clear().await.unwrap();
}

#[wasm_bindgen_test]
async fn an_acknowledged_note_becomes_a_record_and_a_rejected_one_is_kept_with_its_message() {
    let user = fresh_id();
    let store = LocalStore::for_user(user);
    let device = Device::new(store.clone());
    let citizen = fresh_id();
    let good = note(citizen, "god");
    for n in [&good, &note(citizen, "afvist"), &note(citizen, "senere")] {
        device
            .save(Record::Note(n.clone()), Utc::now())
            .await
            .unwrap();
    }
    let (request, sent) = device.next_request(fresh_id()).await.unwrap();
    assert_eq!(request.mutations.len(), 3);
    let citizen_record = Record::Citizen(Citizen {
        id: citizen,
        name: "Inger Nielsen".into(),
        address: "Møllegade 7".into(),
        team: "Nord".into(),
    });
    let rejection = Rejection {
        seq: 2,
        code: "empty_field".into(),
        message: "tom".into(),
    };
    let answer = response(
        2,
        vec![rejection],
        vec![Change {
            seq: 41,
            record: citizen_record,
        }],
        41,
    );
    device
        .take_response(&sent, &answer, Utc::now())
        .await
        .unwrap();
    let (reloaded, _) = store.load().unwrap();
    assert!(reloaded.has(&good.id), "applied note stored as a record");
    assert!(
        !reloaded.outbox.contains_key(&1),
        "applied entry left the outbox"
    );
    assert!(
        matches!(&reloaded.outbox[&2].state, EntryState::Rejected { message, .. } if message == "tom")
    );
    assert_eq!(reloaded.outbox[&3].state, EntryState::Pending);
    assert_eq!(reloaded.pending_count(), 1);
    assert_eq!(reloaded.meta.cursor, 41);
    assert!(reloaded.citizen(citizen).is_some());
    let (next, _) = device.next_request(fresh_id()).await.unwrap();
    assert_eq!(
        next.mutations.iter().map(|m| m.seq).collect::<Vec<_>>(),
        vec![3]
    );
    assert_eq!(next.cursor, 41);
    store.clear().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_damaged_entry_is_skipped_and_counted_not_fatal() {
    let user = fresh_id();
    let store = LocalStore::for_user(user);
    store
        .append(Record::Note(note(fresh_id(), "hel")), Utc::now())
        .await
        .unwrap();
    storage()
        .set_item(&format!("nv:{user}:out:000000000002"), "{broken")
        .unwrap();
    let (data, damaged) = store.load().unwrap();
    assert_eq!(damaged, 1);
    assert_eq!(data.outbox.len(), 1);
    let next = store
        .append(Record::Note(note(fresh_id(), "næste")), Utc::now())
        .await
        .unwrap();
    assert_eq!(next.seq, 3, "a damaged key is never overwritten");
    store.clear().await.unwrap();
}

#[wasm_bindgen_test]
async fn a_full_storage_is_a_plain_error_the_note_is_held_and_written_later() {
    let user = fresh_id();
    let store = LocalStore::for_user(user);
    let device = Device::new(store.clone());
    let filler_prefix = format!("filler:{user}:");
    // Fill the origin's real quota (about 5 MB in Chromium) with 256 KB blocks, then smaller ones.
    let mut written = Vec::new();
    for size in [256 * 1024, 16 * 1024, 1024, 64] {
        let block = "x".repeat(size);
        loop {
            let key = format!("{filler_prefix}{}", written.len());
            if storage().set_item(&key, &block).is_err() {
                break;
            }
            written.push(key);
        }
    }
    let held = note(fresh_id(), "et notat der ikke kan gemmes endnu");
    let result = device.save(Record::Note(held.clone()), Utc::now()).await;
    let outbox_while_full = store.outbox().await;
    for key in &written {
        storage().remove_item(key).unwrap();
    }
    let err = result.unwrap_err();
    assert_eq!(err, StoreError::Full);
    assert_eq!(err.to_string(), "Enhedens lager er fuldt.");
    assert!(
        outbox_while_full.unwrap().is_empty(),
        "nothing half written"
    );
    assert_eq!(device.held_count(), 1);
    // With room again, the held note is written first, then the new one.
    let next = device
        .save(
            Record::Note(note(fresh_id(), "nu kan det gemmes")),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(next.seq, 2);
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox[0].record, Record::Note(held));
    store.clear().await.unwrap();
}

/// Benchmark (prints, does not time-assert): saving a note into the outbox
/// with 2,000 records already on the device. Budget: under 5 ms.
#[wasm_bindgen_test]
async fn benchmark_saving_a_note_with_2000_records_cached() {
    let user = fresh_id();
    let store = LocalStore::for_user(user);
    let citizen = fresh_id();
    let writes: Vec<naervaer_sync::Write> = (0..2000)
        .map(|i| {
            naervaer_sync::Write::Record(naervaer_sync::StoredRecord {
                change_seq: i + 1,
                record: Record::Note(note(
                    citizen,
                    &format!("gammelt notat {i}: {}", "tekst ".repeat(40)),
                )),
            })
        })
        .collect();
    store.apply(&writes).await.unwrap();
    let (data, _) = store.load().unwrap();
    assert_eq!(data.notes().count(), 2000);
    let device = Device::new(store.clone());
    let saves = 200;
    let started = Utc::now();
    for _ in 0..saves {
        device
            .save(
                Record::Note(note(citizen, "Nyt notat skrevet under besøget.")),
                Utc::now(),
            )
            .await
            .unwrap();
    }
    let elapsed_ms = (Utc::now() - started).num_microseconds().unwrap_or(0) as f64 / 1000.0;
    let per_save = elapsed_ms / f64::from(saves);
    wasm_bindgen_test::console_log!(
        "benchmark: save with 2000 records cached: {per_save:.3} ms per note (budget 5 ms)"
    );
    assert_eq!(store.outbox().await.unwrap().len(), saves as usize);
    store.clear().await.unwrap();
}
