//! Tests of `loneliness_form.rs`.

use super::*;

fn blank() -> LonelinessRegistration {
    empty_registration(
        uuid::Uuid::from_u128(1),
        uuid::Uuid::from_u128(2),
        parse_date("2026-11-22").unwrap(),
        None,
        "Anna Holm".into(),
    )
}

#[test]
fn the_fields_make_the_registration_with_the_policy_s_suggestion() {
    let policy = LonelinessPolicy::default();
    let mut f = Fields::new(parse_date("2026-11-22").unwrap(), "Anna Holm".into());
    f.signs = vec!["withdrawn".into(), "few_visitors".into()];
    f.ucla = ["3".into(), "2".into(), "3".into()];
    f.next_kind = "companion_activity".into();
    f.follow_up = "2026-11-23".into();
    assert_eq!(f.suggested(&policy), Level::Red);
    let r = registration_from(&f, &policy, blank());
    assert_eq!(
        (r.suggested_level, r.chosen_level),
        (Level::Red, Level::Red)
    );
    assert_eq!(r.ucla.map(|u| u.total()), Some(8));
    assert_eq!(
        r.next_step.as_ref().map(|s| s.responsible.as_str()),
        Some("Anna Holm")
    );
    assert_eq!(r.validate(), Ok(()));
    // Another level needs a reason; the fields carry it.
    f.level = "yellow".into();
    assert!(registration_from(&f, &policy, blank()).validate().is_err());
    f.reason = "Datteren kommer i morgen".into();
    let r = registration_from(&f, &policy, blank());
    assert_eq!(r.chosen_level, Level::Yellow);
    assert_eq!(r.validate(), Ok(()));
}

#[test]
fn a_correction_starts_from_the_registration_it_corrects() {
    let policy = LonelinessPolicy::default();
    let mut f = Fields::new(parse_date("2026-11-22").unwrap(), "Anna Holm".into());
    f.signs = vec!["says_lonely".into()];
    f.own_words = "Jeg savner nogen".into();
    let r = registration_from(&f, &policy, blank());
    let again = Fields::of(&r);
    assert_eq!(again.signs, f.signs);
    assert_eq!(again.own_words, "Jeg savner nogen");
    assert_eq!(again.level, r.chosen_level.code());
}

#[test]
fn a_follow_up_before_the_observation_is_not_saved_and_the_user_is_told_why() {
    let policy = LonelinessPolicy::default();
    let mut f = Fields::new(parse_date("2026-11-22").unwrap(), "Anna Holm".into());
    f.next_kind = "companion_activity".into();
    f.follow_up = "2026-11-21".into();
    let Err(why) = checked_registration(&f, &policy, blank()) else {
        panic!("a follow-up before the observation was accepted");
    };
    assert_eq!(
        why.text(Locale::da),
        td_string!(Locale::da, invalid_follow_up)
    );
    f.follow_up = "2026-11-29".into();
    assert!(checked_registration(&f, &policy, blank()).is_ok());
}
