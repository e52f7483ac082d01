//! Tests of `calendar.rs`.

use super::*;

#[test]
fn days_are_named_plainly() {
    let today = naervaer_domain::wire_time::parse_date("2026-11-22").unwrap();
    assert_eq!(day_label(Locale::da, today, today), "I dag");
    assert_eq!(
        day_label(Locale::da, today + Duration::days(1), today),
        "I morgen"
    );
    assert_eq!(
        day_label(Locale::da, today + Duration::days(6), today),
        "lørdag 28.11."
    );
    assert_eq!(
        day_label(Locale::en, today + Duration::days(2), today),
        "Tuesday 24.11."
    );
}
