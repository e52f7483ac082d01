//! Tests of `entry.rs`.

use super::*;

fn entry(kind: EntryKind) -> ClipEntry {
    let now = DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap_or_default();
    let mut e = ClipEntry::new(
        kind,
        Uuid::from_u128(1),
        Uuid::from_u128(2),
        Uuid::from_u128(3),
        now,
    );
    e.at = Some(now);
    e.minutes = 30;
    e
}

#[test]
fn malformed_entries_are_named_by_code() {
    let mut e = entry(EntryKind::Use);
    assert_eq!(e.validate(), Ok(()));
    e.minutes = -30;
    assert_eq!(e.validate().unwrap_err().code(), "negative_minutes");
    e.minutes = 30;
    e.helpers = 3;
    assert_eq!(e.validate().unwrap_err().code(), "out_of_range");
    e.helpers = 1;
    e.at = None;
    assert_eq!(e.validate().unwrap_err().code(), "missing_field");

    let cancel = entry(EntryKind::Cancel);
    assert_eq!(cancel.validate().unwrap_err().code(), "missing_field");

    let mut adjust = entry(EntryKind::Adjust);
    adjust.minutes = -60;
    assert_eq!(adjust.validate().unwrap_err().code(), "empty_field");
    adjust.reason = "Fejlregistrering".into();
    assert_eq!(adjust.validate(), Ok(()));

    let mut pause = entry(EntryKind::Pause);
    pause.pause_from = NaiveDate::from_ymd_opt(2026, 10, 5);
    assert_eq!(pause.validate().unwrap_err().code(), "out_of_range");
    pause.pause_weeks = 2;
    assert_eq!(pause.validate(), Ok(()));
}

#[test]
fn entries_read_with_only_what_their_kind_needs() {
    let text = r#"{"id":"00000000-0000-0000-0000-000000000003","card_id":"00000000-0000-0000-0000-000000000001",
        "citizen_id":"00000000-0000-0000-0000-000000000002","kind":"cancel",
        "target":"00000000-0000-0000-0000-000000000009","recorded_at":"2026-11-22T10:00:00Z"}"#;
    let e: ClipEntry = serde_json::from_str(text).unwrap();
    assert_eq!(e.kind, EntryKind::Cancel);
    assert_eq!(e.helpers, 1);
    assert_eq!(e.validate(), Ok(()));
}
