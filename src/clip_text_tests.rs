//! Tests of `clips.rs`.

use super::*;

#[test]
fn amounts_read_plainly() {
    assert_eq!(hours_minutes(Locale::da, 90), "1 t 30 min");
    assert_eq!(hours_minutes(Locale::en, 120), "2 h");
    assert_eq!(hours_minutes(Locale::da, -30), "−30 min");
    assert_eq!(clips_label(Locale::en, 1), "1 clip");
}

#[test]
fn an_overdraw_warning_says_whether_anything_is_left() {
    let p = ClipPolicy::shipped("furesoe").unwrap().unwrap();
    let some = breach_text(Locale::da, &p, Breach::Overdraws(30), 30);
    assert_eq!(
        some,
        "Kortet har kun 1 klip fri (30 min). Det bliver overtrukket."
    );
    let none = breach_text(Locale::da, &p, Breach::Overdraws(-30), 30);
    assert_eq!(
        none,
        "Kortet er allerede brugt op (−30 min). Det bliver overtrukket mere."
    );
}

#[test]
fn form_fields_read_as_copenhagen_time() {
    let at = parse_local("2026-11-24", "12:00").unwrap();
    assert_eq!(at.to_rfc3339(), "2026-11-24T11:00:00+00:00");
    assert_eq!(parse_local("2026-13-01", "12:00"), None);
    assert_eq!(parse_local("2026-11-24", "x"), None);
    assert_eq!(
        date_value(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()),
        "2026-03-09"
    );
}

#[test]
fn policy_hours_are_put_in_words() {
    let p = ClipPolicy::shipped("furesoe").unwrap().unwrap();
    assert_eq!(hours_text(Locale::da, &p), "hverdage 11:00–17:00");
    let p = ClipPolicy::shipped("faxe").unwrap().unwrap();
    assert_eq!(hours_text(Locale::en, &p), "any day and time");
}
