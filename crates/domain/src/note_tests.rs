//! Tests of `note.rs`.

use super::*;
use chrono::TimeZone;

fn note(id: u128, replaces: Option<u128>, text: &str) -> VisitNote {
    VisitNote {
        id: Uuid::from_u128(id),
        note_id: Uuid::from_u128(1),
        replaces: replaces.map(Uuid::from_u128).into_iter().collect(),
        citizen_id: Uuid::from_u128(99),
        visit_id: None,
        category: NoteCategory::Observation,
        text: text.into(),
        author_id: None,
        author_name: "Anna".into(),
        written_at: Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, id as u32).unwrap(),
    }
}

#[test]
fn empty_and_blank_text_is_rejected() {
    assert_eq!(
        note(1, None, "   ").validate(),
        Err(ValidationError::Empty("text"))
    );
    assert!(note(1, None, "Spiste godt").validate().is_ok());
}

#[test]
fn overlong_text_is_rejected_at_the_limit_plus_one() {
    let at_limit = "æ".repeat(MAX_NOTE_CHARS);
    assert!(note(1, None, &at_limit).validate().is_ok());
    let over = "æ".repeat(MAX_NOTE_CHARS + 1);
    assert_eq!(
        note(1, None, &over).validate().unwrap_err().code(),
        "too_long"
    );
}

#[test]
fn a_revision_cannot_replace_itself() {
    assert_eq!(
        note(2, Some(2), "x").validate(),
        Err(ValidationError::ReplacesItself)
    );
}

#[test]
fn a_linear_history_has_one_head_and_a_fork_has_two() {
    let linear = vec![note(1, None, "a"), note(2, Some(1), "b")];
    let h = heads(&linear);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].id, Uuid::from_u128(2));

    let fork = vec![
        note(1, None, "a"),
        note(2, Some(1), "b"),
        note(3, Some(1), "c"),
    ];
    let h = heads(&fork);
    assert_eq!(
        h.iter().map(|n| n.id.as_u128()).collect::<Vec<_>>(),
        vec![2, 3]
    );
}

#[test]
fn category_names_round_trip() {
    for c in NoteCategory::ALL {
        assert_eq!(NoteCategory::parse(c.as_str()), Some(c));
    }
    assert_eq!(NoteCategory::parse("gossip"), None);
}

#[test]
fn a_merge_replacing_both_heads_leaves_one_head() {
    let mut merge = note(4, Some(2), "b og c");
    merge.replaces.push(Uuid::from_u128(3));
    let history = vec![
        note(1, None, "a"),
        note(2, Some(1), "b"),
        note(3, Some(1), "c"),
        merge,
    ];
    let h = heads(&history);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].id, Uuid::from_u128(4));
}

#[test]
fn replaces_is_read_from_null_one_id_or_a_list_and_written_as_one_id_when_one() {
    let base = serde_json::to_value(note(2, Some(1), "x")).unwrap();
    assert_eq!(
        base["replaces"],
        serde_json::json!(Uuid::from_u128(1).to_string()),
        "one replaced revision is written as older devices wrote it"
    );
    let read = |replaces: serde_json::Value| -> Vec<Uuid> {
        let mut v = base.clone();
        v["replaces"] = replaces;
        let text = v.to_string();
        let by_serde: VisitNote = serde_json::from_str(&text).unwrap();
        let by_app: VisitNote = serde_json::from_str(&text).unwrap();
        assert_eq!(by_serde, by_app);
        by_app.replaces
    };
    let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(3));
    assert_eq!(read(serde_json::Value::Null), Vec::<Uuid>::new());
    assert_eq!(read(serde_json::json!(a.to_string())), vec![a]);
    assert_eq!(
        read(serde_json::json!([a.to_string(), b.to_string()])),
        vec![a, b]
    );
    let mut merge = note(4, Some(1), "y");
    merge.replaces.push(b);
    let written = serde_json::to_value(&merge).unwrap();
    assert_eq!(
        written["replaces"],
        serde_json::json!([a.to_string(), b.to_string()])
    );
}

#[test]
fn a_merge_may_not_name_itself() {
    let mut merge = note(4, Some(2), "x");
    merge.replaces.push(Uuid::from_u128(4));
    assert_eq!(merge.validate(), Err(ValidationError::ReplacesItself));
}
