//! Tests of `sync.rs`.

use super::*;
use crate::note::NoteCategory;

fn sample_note() -> VisitNote {
    VisitNote {
        author_name: "Anna".into(),
        ..VisitNote::written(
            Uuid::from_u128(7),
            Uuid::from_u128(8),
            &[],
            NoteCategory::SocialLife,
            "Talte om barnebarnet".into(),
            DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap_or_default(),
        )
    }
}

#[test]
fn a_note_mutation_round_trips_through_decode() {
    let m = Mutation::note_save(1, &sample_note()).unwrap();
    assert_eq!(m.decode(), Ok(MutationOp::NoteSave(sample_note())));
}

#[test]
fn an_unknown_op_is_a_rejection_with_its_own_code() {
    let m = Mutation {
        seq: 1,
        op: "note.delete".into(),
        data: serde_json::value::to_raw_value(&serde_json::json!({})).unwrap(),
    };
    assert_eq!(m.decode().unwrap_err().code(), "unknown_op");
}

#[test]
fn data_of_the_wrong_shape_is_bad_data() {
    let m = Mutation {
        seq: 1,
        op: OP_NOTE_SAVE.into(),
        data: serde_json::value::to_raw_value(&serde_json::json!({"text": 5})).unwrap(),
    };
    assert_eq!(m.decode().unwrap_err().code(), "bad_data");
}

#[test]
fn a_valid_shape_with_a_broken_rule_is_rejected_by_the_rule() {
    let mut n = sample_note();
    n.text = " ".into();
    let m = Mutation::note_save(1, &n).unwrap();
    assert_eq!(m.decode().unwrap_err().code(), "empty_field");
}

#[test]
fn records_are_tagged_by_kind_on_the_wire() {
    let change = Change::new(3, Record::Note(sample_note()), None);
    let json = serde_json::to_value(&change).unwrap();
    assert_eq!(json["record"]["kind"], "note");
    assert_eq!(json["record"]["data"]["text"], "Talte om barnebarnet");
    let text = serde_json::to_string(&change).unwrap();
    assert!(text.contains(r#"{"kind":"note","data":{"#), "{text}");
    assert_eq!(serde_json::from_str::<Change>(&text).unwrap(), change);
}

#[test]
fn a_record_must_have_kind_first_and_nothing_else() {
    let data = serde_json::to_value(sample_note()).unwrap();
    let data_first = format!(r#"{{"data":{data},"kind":"note"}}"#);
    let err = serde_json::from_str::<Record>(&data_first).unwrap_err();
    assert!(
        err.to_string().contains("must start with \"kind\""),
        "{err}"
    );
    let extra = format!(r#"{{"kind":"note","data":{data},"more":1}}"#);
    assert!(serde_json::from_str::<Record>(&extra).is_err());
    let wrong_kind = format!(r#"{{"kind":"visit","data":{data}}}"#);
    assert!(serde_json::from_str::<Record>(&wrong_kind).is_err());
}

#[test]
fn a_change_this_app_cannot_read_is_kept_as_unreadable_not_an_error() {
    let text = r#"{"seq": 4, "record": {"kind": "hologram", "data": {"x": 1}}}"#;
    let change: Change = serde_json::from_str(text).unwrap();
    assert_eq!((change.seq, change.record), (4, None));
}

#[test]
fn an_old_app_sends_no_protocol_and_is_read_as_protocol_zero() {
    let text = r#"{"client_id": "00000000-0000-0000-0000-000000000001", "cursor": 3}"#;
    let request: SyncRequest = serde_json::from_str(text).unwrap();
    assert_eq!(request.protocol, 0);
    assert!(request.protocol < MIN_PROTOCOL_VERSION);
}

#[test]
fn a_worker_keeps_only_the_citizens_of_their_team() {
    let citizen = crate::Citizen {
        id: Uuid::from_u128(1),
        name: "Else".into(),
        address: "Vej 1".into(),
        team: "Nord".into(),
    };
    assert!(scope_keeps(&team_scope("Nord"), &citizen));
    assert!(!scope_keeps(&team_scope("Syd"), &citizen));
    assert!(scope_keeps(SCOPE_ALL, &citizen));
    assert!(scope_keeps(&citizen_scope(citizen.id), &citizen));
}
