//! The device store and outbox in a real browser (headless Chromium through
//! chromedriver): real localStorage, one key per record and outbox entry.

#![cfg(target_arch = "wasm32")]
// A failed unwrap here is the test failing, which is what it should do.
#![allow(clippy::unwrap_used)]

use chrono::Utc;
use naervaer_app::data::{EntryState, LocalData, OutboxEntry, RecordStatus};
use naervaer_app::store::LocalStore;
use naervaer_app::sync::{apply_response, build_request};
use naervaer_domain::sync::Record;
use naervaer_domain::{Change, Citizen, NoteCategory, Rejection, SyncResponse, VisitNote};
use uuid::Uuid;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_user() -> Uuid {
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
    let id = fresh_user();
    VisitNote {
        id,
        note_id: id,
        replaces: None,
        citizen_id: citizen,
        visit_id: None,
        category: NoteCategory::Observation,
        text: text.into(),
        author_id: None,
        author_name: "Anna Holm".into(),
        written_at: Utc::now(),
    }
}

fn entry(seq: u64, note: &VisitNote) -> OutboxEntry {
    OutboxEntry::new(seq, Record::Note(note.clone()), Utc::now())
}

fn response(
    ack: u64,
    rejections: Vec<Rejection>,
    changes: Vec<Change>,
    cursor: u64,
) -> SyncResponse {
    SyncResponse {
        acknowledged_seq: ack,
        rejections,
        gap: None,
        changes,
        next_cursor: cursor,
        more: false,
        server_time: Utc::now(),
    }
}

#[wasm_bindgen_test]
fn outbox_entries_survive_a_reload_each_under_its_own_key() {
    let user = fresh_user();
    let store = LocalStore::for_user(user);
    let citizen = fresh_user();
    let prefix = format!("nv:{user}:");
    for seq in 1..=3 {
        store
            .put_outbox(&entry(seq, &note(citizen, &format!("notat {seq}"))))
            .unwrap();
        assert_eq!(key_count(&prefix), seq as u32, "one new key per entry");
    }
    let (data, damaged) = store.load().unwrap();
    assert_eq!(damaged, 0);
    assert_eq!(data.outbox.len(), 3);
    assert_eq!(data.pending_count(), 3);
    assert_eq!(data.next_seq(), 4);
    let notes = data.notes_of(citizen);
    assert_eq!(notes.len(), 3);
    assert!(notes.iter().all(|n| n.heads[0].1 == RecordStatus::Waiting));
}

#[wasm_bindgen_test]
fn users_never_see_each_others_data_and_clearing_one_leaves_the_other() {
    let (a, b) = (fresh_user(), fresh_user());
    let citizen = fresh_user();
    LocalStore::for_user(a)
        .put_outbox(&entry(1, &note(citizen, "a")))
        .unwrap();
    LocalStore::for_user(b)
        .put_outbox(&entry(1, &note(citizen, "b")))
        .unwrap();
    let (data_a, _) = LocalStore::for_user(a).load().unwrap();
    assert_eq!(data_a.outbox[&1].note().unwrap().text, "a");
    LocalStore::for_user(a).clear().unwrap();
    assert!(LocalStore::for_user(a).load().unwrap().0.outbox.is_empty());
    assert_eq!(LocalStore::for_user(b).load().unwrap().0.outbox.len(), 1);
}

#[wasm_bindgen_test]
fn an_acknowledged_note_becomes_a_record_and_a_rejected_one_is_kept_with_its_message() {
    let user = fresh_user();
    let store = LocalStore::for_user(user);
    let citizen = fresh_user();
    let good = note(citizen, "god");
    let bad = note(citizen, "afvist");
    let later = note(citizen, "senere");
    let mut data = LocalData::default();
    for (seq, n) in [(1, &good), (2, &bad), (3, &later)] {
        let e = entry(seq, n);
        store.put_outbox(&e).unwrap();
        data.outbox.insert(seq, e);
    }
    let request = build_request(&data, user);
    assert_eq!(
        request.mutations.iter().map(|m| m.seq).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );

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
    // The server settled 1 and 2; 3 is still to come.
    let answer = response(
        2,
        vec![rejection],
        vec![Change {
            seq: 41,
            record: citizen_record,
        }],
        41,
    );
    apply_response(&store, &mut data, &answer, Utc::now()).unwrap();

    for reloaded in [data.clone(), store.load().unwrap().0] {
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
        assert_eq!(reloaded.meta.acknowledged_seq, 2);
        assert!(reloaded.citizen(citizen).is_some());
        assert_eq!(reloaded.next_seq(), 4);
    }
    let next = build_request(&data, user);
    assert_eq!(
        next.mutations.iter().map(|m| m.seq).collect::<Vec<_>>(),
        vec![3]
    );
    assert_eq!(next.cursor, 41);
}

#[wasm_bindgen_test]
fn a_damaged_entry_is_skipped_and_counted_not_fatal() {
    let user = fresh_user();
    let store = LocalStore::for_user(user);
    store
        .put_outbox(&entry(1, &note(fresh_user(), "hel")))
        .unwrap();
    storage()
        .set_item(&format!("nv:{user}:out:000000000002"), "{broken")
        .unwrap();
    let (data, damaged) = store.load().unwrap();
    assert_eq!(damaged, 1);
    assert_eq!(data.outbox.len(), 1);
}

#[wasm_bindgen_test]
fn a_full_storage_is_a_plain_error_and_nothing_is_half_written() {
    let user = fresh_user();
    let store = LocalStore::for_user(user);
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
    let result = store.put_outbox(&entry(
        1,
        &note(fresh_user(), "et notat der ikke kan gemmes"),
    ));
    for key in &written {
        storage().remove_item(key).unwrap();
    }
    let err = result.unwrap_err();
    assert_eq!(err, naervaer_app::store::StoreError::Full);
    assert_eq!(err.to_string(), "Enhedens lager er fuldt.");
    assert!(store.load().unwrap().0.outbox.is_empty());
    // With room again, the same save works.
    store
        .put_outbox(&entry(1, &note(fresh_user(), "nu kan det gemmes")))
        .unwrap();
    assert_eq!(store.load().unwrap().0.outbox.len(), 1);
}

/// Benchmark (prints, does not time-assert): saving a note into the outbox
/// with 2,000 records already on the device. Budget: under 5 ms.
#[wasm_bindgen_test]
fn benchmark_saving_a_note_with_2000_records_cached() {
    let user = fresh_user();
    let store = LocalStore::for_user(user);
    let citizen = fresh_user();
    for i in 0..2000 {
        store
            .put_record(&Record::Note(note(
                citizen,
                &format!("gammelt notat {i}: {}", "tekst ".repeat(40)),
            )))
            .unwrap();
    }
    let (mut data, _) = store.load().unwrap();
    assert_eq!(data.notes().count(), 2000);
    let saves = 200;
    let started = Utc::now();
    for _ in 0..saves {
        let seq = data.next_seq();
        let e = entry(seq, &note(citizen, "Nyt notat skrevet under besøget."));
        store.put_outbox(&e).unwrap();
        data.outbox.insert(seq, e);
    }
    let elapsed_ms = (Utc::now() - started).num_microseconds().unwrap_or(0) as f64 / 1000.0;
    let per_save = elapsed_ms / f64::from(saves);
    wasm_bindgen_test::console_log!(
        "benchmark: save with 2000 records cached: {per_save:.3} ms per note (budget 5 ms)"
    );
    assert_eq!(store.load().unwrap().0.outbox.len(), saves as usize);
    store.clear().unwrap();
}
