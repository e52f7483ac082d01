//! Tests of `notice.rs`: the sync crate's errors worded for people, in
//! both languages, and a notice re-worded when the language changes.

use super::*;

#[test]
fn a_full_device_is_told_in_danish_and_in_english() {
    let notice = Notice::KeptRetrying(DeviceStoreError::Full);
    assert!(
        notice
            .text(Locale::da)
            .starts_with("Enhedens lager er fuldt. Ændringen er husket i appen"),
        "{}",
        notice.text(Locale::da)
    );
    assert!(
        notice
            .text(Locale::en)
            .starts_with("This device's storage is full. The change is kept"),
        "{}",
        notice.text(Locale::en)
    );
}

#[test]
fn every_sync_error_has_its_own_text_in_each_language() {
    let errors = [
        SyncError::Transport(TransportError::Offline),
        SyncError::Transport(TransportError::Unauthorized),
        SyncError::Transport(TransportError::AppTooOld),
        SyncError::Transport(TransportError::Status {
            status: 422,
            code: "bad".into(),
            message: "nej".into(),
        }),
        SyncError::Transport(TransportError::BadResponse("x".into())),
        SyncError::Store(DeviceStoreError::Unavailable),
        SyncError::Take(TakeError::Unreadable("y".into())),
        SyncError::TooManyPages,
    ];
    for lang in [Locale::da, Locale::en] {
        let texts: Vec<String> = errors.iter().map(|e| sync_text(lang, e)).collect();
        for (i, text) in texts.iter().enumerate() {
            assert!(!text.is_empty());
            assert!(texts[..i].iter().all(|other| other != text), "{text}");
        }
    }
    assert_eq!(
        sync_text(Locale::da, &errors[3]),
        "Serveren svarede 422: nej"
    );
    assert_ne!(
        sync_text(Locale::da, &errors[0]),
        sync_text(Locale::en, &errors[0])
    );
}

#[test]
fn a_worded_notice_follows_the_language() {
    let notice = Notice::worded(|lang| td_string!(lang, damaged_records, count = 3));
    assert_eq!(
        notice.text(Locale::da),
        "3 poster på enheden kunne ikke læses og er sprunget over."
    );
    assert_eq!(
        notice.text(Locale::en),
        "3 records on this device could not be read and were skipped."
    );
}
