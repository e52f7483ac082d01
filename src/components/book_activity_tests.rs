//! Tests of `book_activity.rs`.

use super::*;

#[test]
fn an_option_names_its_activity_and_start() {
    let id = Uuid::from_u128(42);
    let start = parse_instant("2026-12-03T15:00:00Z").expect("an instant");
    let value = format!("{id} {}", format_instant(start));
    assert_eq!(occurrence_of(&value), Some((id, start)));
    assert_eq!(occurrence_of(""), None);
    assert_eq!(occurrence_of("not-an-id 2026-12-03T15:00:00Z"), None);
    assert_eq!(occurrence_of(&format!("{id} tomorrow")), None);
}

#[test]
fn the_needs_are_those_ticked() {
    let ticked = ["care".to_string(), "companion".to_string()];
    let needs = needs_of(&ticked);
    assert!(needs.companion && needs.care && !needs.transport);
    assert_eq!(needs_of(&[]), Needs::default());
}
