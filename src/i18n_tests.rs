//! Tests of the text catalogue (`locales/`, through `i18n.rs`).

use super::*;

#[test]
fn counted_texts_take_the_singular_for_one_and_the_plural_otherwise() {
    assert_eq!(
        td_string!(Locale::da, free_places, count = count(1)),
        "1 ledig"
    );
    assert_eq!(
        td_string!(Locale::da, free_places, count = count(2)),
        "2 ledige"
    );
    assert_eq!(
        td_string!(Locale::da, free_places, count = count(0)),
        "0 ledige"
    );
    assert_eq!(
        td_string!(Locale::en, revisions, count = count(1)),
        "1 version"
    );
    assert_eq!(
        td_string!(Locale::en, revisions, count = count(3)),
        "3 versions"
    );
    assert_eq!(
        td_string!(
            Locale::da,
            logout_waiting,
            name = "Anna Holm",
            count = count(1usize)
        ),
        "Anna Holm har 1 ændring, der ikke er sendt endnu. Den bliver gemt krypteret på enheden og sendt, når Anna Holm logger ind igen."
    );
}

#[test]
fn placeholders_are_filled_in_either_language() {
    assert_eq!(td_string!(Locale::da, step_of, n = 2), "Trin 2 af 3");
    assert_eq!(
        td_string!(Locale::en, worker_comes, name = "Anna"),
        "Anna comes"
    );
}

#[test]
fn each_language_has_its_own_words() {
    assert_eq!(td_string!(Locale::da, save), "Gem");
    assert_eq!(td_string!(Locale::en, save), "Save");
    assert_eq!(
        category_label(Locale::en, NoteCategory::SocialLife),
        "Social life"
    );
    assert_eq!(code_label(Locale::da, "Gul", "Yellow"), "Gul");
    assert_eq!(count(u64::MAX), i64::MAX);
}
