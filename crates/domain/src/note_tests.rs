//! Tests of `note.rs`.

use super::*;
use chrono::TimeZone;

fn note(id: u128, replaces: Option<u128>, text: &str) -> VisitNote {
    VisitNote {
        id: Uuid::from_u128(id),
        note_id: Uuid::from_u128(1),
        replaces: replaces.map(Uuid::from_u128),
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
