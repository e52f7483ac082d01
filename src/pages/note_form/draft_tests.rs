//! Tests of `draft.rs`.

use super::*;
use crate::i18n::Locale;
use naervaer_domain::Role;

fn anna() -> User {
    User {
        id: Uuid::from_u128(1),
        username: "anna".into(),
        name: "Anna Holm".into(),
        role: Role::Worker,
        team: Some("Nord".into()),
        citizen_id: None,
    }
}

fn revision_of(id: u128, text: &str, category: NoteCategory, replaced: &[VisitNote]) -> VisitNote {
    VisitNote::written(
        Uuid::from_u128(id),
        Uuid::from_u128(9),
        replaced,
        category,
        text.into(),
        DateTime::UNIX_EPOCH,
    )
}

#[test]
fn a_new_note_starts_empty_as_an_observation() {
    let draft = starting_draft(None, None);
    assert_eq!(draft.category, NoteCategory::Observation);
    assert_eq!(draft.text, "");
    assert_eq!(draft.visit, None);
}

#[test]
fn an_edit_starts_from_the_revision_edited_and_replaces_it() {
    let old = revision_of(20, "Spiste godt", NoteCategory::SocialLife, &[]);
    let draft = starting_draft(Some(&old), None);
    assert_eq!(draft.text, "Spiste godt");
    assert_eq!(draft.category, NoteCategory::SocialLife);
    let now = Utc::now();
    let edit = revision(
        draft,
        Uuid::from_u128(5),
        old.citizen_id,
        std::slice::from_ref(&old),
        &anna(),
        now,
    )
    .expect("a valid edit");
    assert_eq!(edit.note_id, old.note_id);
    assert_eq!(edit.replaces, vec![old.id]);
    assert_eq!(edit.author_name, "Anna Holm");
    assert_eq!(edit.written_at, now);
}

#[test]
fn a_merge_starts_with_every_version_and_replaces_them_all() {
    let first = revision_of(21, "Version A", NoteCategory::Observation, &[]);
    let a = revision_of(
        22,
        "A",
        NoteCategory::Relatives,
        std::slice::from_ref(&first),
    );
    let b = revision_of(
        23,
        "B",
        NoteCategory::Observation,
        std::slice::from_ref(&first),
    );
    let heads = [a.clone(), b.clone()];
    let draft = starting_draft(Some(&a), Some(&heads));
    assert_eq!(draft.text, "A\n\nB");
    assert_eq!(draft.category, NoteCategory::Relatives);
    let merged = revision(
        draft,
        Uuid::from_u128(6),
        first.citizen_id,
        &heads,
        &anna(),
        Utc::now(),
    )
    .expect("a valid merge");
    assert_eq!(merged.replaces, vec![a.id, b.id]);
    assert_eq!(merged.note_id, first.note_id);
}

#[test]
fn a_note_without_text_is_not_saved_and_the_user_is_told_why() {
    let draft = Draft {
        text: "   ".into(),
        ..starting_draft(None, None)
    };
    let refused = revision(
        draft,
        Uuid::from_u128(7),
        Uuid::from_u128(9),
        &[],
        &anna(),
        Utc::now(),
    );
    let Err(why) = refused else {
        panic!("an empty note was accepted");
    };
    assert_eq!(why.text(Locale::da), "Skriv noget i notatet først.");
}
