//! What sealing protects against, checked on the rows a thief would read.

use std::rc::Rc;

use chrono::{TimeZone, Utc};
use futures_executor::block_on;
use naervaer_domain::protocol::Record;
use naervaer_domain::{Citizen, NoteCategory, VisitNote};
use uuid::Uuid;

use super::*;
use crate::outbox::StoredRecord;

const KEY: [u8; 32] = [42; 32];
const NAME: &str = "Inger Nielsen";
const TEXT: &str = "Virkede trist i dag";

fn user() -> Uuid {
    Uuid::from_u128(0xa)
}

fn store(rows: &MemoryRows, key: [u8; 32], user: Uuid) -> SealedStore<MemoryRows, SoftwareCipher> {
    SealedStore::new(rows.clone(), Rc::new(SoftwareCipher::new(key, 9)), user)
}

fn citizen() -> Record {
    Record::Citizen(Citizen {
        id: Uuid::from_u128(0xc1),
        name: NAME.into(),
        address: "Søvej 3".into(),
        team: "Nord".into(),
    })
}

fn note() -> Record {
    let at = Utc
        .with_ymd_and_hms(2026, 12, 3, 9, 0, 0)
        .single()
        .unwrap_or_default();
    Record::Note(VisitNote::written(
        Uuid::from_u128(0x4e),
        Uuid::from_u128(0xc1),
        &[],
        NoteCategory::Observation,
        TEXT.into(),
        at,
    ))
}

/// A device with a citizen pulled, a note waiting and one sent.
fn filled(rows: &MemoryRows) -> SealedStore<MemoryRows, SoftwareCipher> {
    let s = store(rows, KEY, user());
    block_on(async {
        s.apply(&[Write::Record(StoredRecord {
            record: citizen(),
            change_seq: 1,
            received_at: None,
        })])
        .await
        .expect("pulled");
        s.append(note(), Utc::now()).await.expect("saved");
    });
    s
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_rows_hold_no_name_no_text_and_no_citizen_id() {
    let rows = MemoryRows::new();
    let s = filled(&rows);
    let opened = block_on(s.open_everything()).expect("opens");
    assert_eq!(
        (
            opened.maps.records.len(),
            opened.maps.outbox.len(),
            opened.damaged
        ),
        (1, 1, 0)
    );
    let citizen_id = Uuid::from_u128(0xc1).to_string();
    for (table, table_rows) in rows.snapshot() {
        for (key, bytes) in table_rows {
            for secret in [NAME, TEXT, "Nord", citizen_id.as_str(), "citizen_id"] {
                assert!(
                    !contains(&bytes, secret.as_bytes()),
                    "{secret:?} readable in {table:?}/{key}"
                );
                assert!(
                    !key.to_string().contains(secret),
                    "{secret:?} in the key {key}"
                );
            }
            assert_eq!(bytes.first(), Some(&FORMAT));
        }
    }
}

#[test]
fn the_same_value_sealed_twice_differs() {
    let rows = MemoryRows::new();
    let s = filled(&rows);
    let first = rows.snapshot();
    block_on(s.apply(&[Write::Record(StoredRecord {
        record: citizen(),
        change_seq: 2,
        received_at: None,
    })]))
    .expect("again");
    let second = rows.snapshot();
    let row = |snap: &RowsSnapshot| {
        snap[&Table::Records]
            .values()
            .next()
            .cloned()
            .unwrap_or_default()
    };
    assert_ne!(
        row(&first)[1..1 + NONCE_LEN],
        row(&second)[1..1 + NONCE_LEN],
        "a nonce was used twice"
    );
}

#[test]
fn a_changed_byte_or_a_row_moved_to_another_key_does_not_open() {
    let rows = MemoryRows::new();
    let s = filled(&rows);
    let mut snap = rows.snapshot();
    let records = snap.entry(Table::Records).or_default();
    let id = *records.keys().next().expect("the citizen's row");
    let mut changed = records[&id].clone();
    let last = changed.len() - 1;
    changed[last] ^= 1;
    records.insert(id, changed);
    // The outbox entry copied under another seq, as a replay would.
    let outbox = snap.entry(Table::Outbox).or_default();
    let entry = outbox[&RowKey::Seq(1)].clone();
    outbox.insert(RowKey::Seq(2), entry);
    rows.restore(snap);
    let opened = block_on(s.open_everything()).expect("reads");
    assert_eq!(opened.maps.records.len(), 0, "a changed row opened");
    assert_eq!(
        opened.maps.outbox.keys().copied().collect::<Vec<_>>(),
        vec![1]
    );
    assert_eq!(opened.damaged, 2);
}

#[test]
fn another_users_key_or_store_opens_nothing() {
    let rows = MemoryRows::new();
    filled(&rows);
    for (key, who) in [([1; 32], user()), (KEY, Uuid::from_u128(0xb))] {
        let other = store(&rows, key, who);
        let opened = block_on(other.open_everything()).expect("reads");
        assert_eq!(opened.maps.records.len() + opened.maps.outbox.len(), 0);
        assert_eq!(opened.damaged, 3, "meta, the record and the note");
        assert!(block_on(other.meta()).is_err(), "the bookkeeping opened");
    }
}

#[test]
fn a_locked_key_reads_and_writes_nothing() {
    let rows = MemoryRows::new();
    filled(&rows);
    let locked = SealedStore::new(rows.clone(), Rc::new(SoftwareCipher::locked()), user());
    let before = rows.snapshot();
    assert_eq!(block_on(locked.meta()), Err(DeviceStoreError::Locked));
    assert_eq!(block_on(locked.records()), Err(DeviceStoreError::Locked));
    assert_eq!(
        block_on(locked.append(note(), Utc::now())).map(|e| e.seq),
        Err(DeviceStoreError::Locked)
    );
    assert_eq!(rows.snapshot(), before, "a locked store wrote");
}

#[test]
fn logout_keeps_rows_that_do_not_open_as_they_may_be_waiting_changes() {
    let rows = MemoryRows::new();
    let s = filled(&rows);
    assert_eq!(block_on(s.clear_if_all_sent()), Ok(false), "a change waits");
    let other_key = store(&rows, [1; 32], user());
    assert_eq!(
        block_on(other_key.clear_if_all_sent()),
        Ok(false),
        "unreadable entry kept"
    );
}

#[test]
fn data_from_before_sealing_moves_in_once() {
    let plain = crate::MemoryDeviceStore::new();
    block_on(async {
        plain
            .apply(&[Write::Record(StoredRecord {
                record: citizen(),
                change_seq: 1,
                received_at: None,
            })])
            .await
            .expect("pulled");
        plain.append(note(), Utc::now()).await.expect("saved");
    });
    let maps = plain.snapshot();
    let rows = MemoryRows::new();
    let sealed = store(&rows, KEY, user());
    assert_eq!(block_on(sealed.import(&maps)), Ok(true));
    assert_eq!(
        block_on(sealed.import(&Maps::default())),
        Ok(false),
        "moved twice"
    );
    let opened = block_on(sealed.open_everything()).expect("opens");
    assert_eq!(opened.maps, maps);
    // An empty device is marked moved too.
    let empty = store(&MemoryRows::new(), KEY, user());
    assert_eq!(block_on(empty.import(&Maps::default())), Ok(true));
    assert_eq!(block_on(empty.import(&maps)), Ok(false));
}

#[test]
fn a_restart_never_writes_over_a_waiting_change_that_does_not_open() {
    let rows = MemoryRows::new();
    let s = filled(&rows);
    // The waiting note's row is damaged (one byte changed).
    let mut snap = rows.snapshot();
    let outbox = snap.entry(Table::Outbox).or_default();
    let row = outbox.get_mut(&RowKey::Seq(1)).expect("the waiting note");
    let last = row.len() - 1;
    row[last] ^= 1;
    rows.restore(snap);
    let before = rows.snapshot();
    let restart = Write::NewClient {
        client_id: Uuid::from_u128(0xfe),
        resend: crate::store::Resend::Everything,
        at: Utc::now(),
    };
    let refused = block_on(s.apply(&[restart]));
    assert!(
        matches!(refused, Err(DeviceStoreError::Read(_))),
        "{refused:?}"
    );
    assert_eq!(
        rows.snapshot(),
        before,
        "a restart wrote over a row that did not open"
    );
}
