//! Tests of `registration.rs`.

use super::*;

pub(crate) fn registration(observed: &str) -> LonelinessRegistration {
    LonelinessRegistration {
        id: Uuid::from_u128(1),
        corrects: None,
        citizen_id: Uuid::from_u128(2),
        observed_on: observed.parse().unwrap(),
        signs: vec![Sign::Withdrawn],
        other_sign: None,
        ucla: None,
        own_words: String::new(),
        wishes: vec![],
        other_wish: None,
        barriers: vec![],
        other_barrier: None,
        next_step: None,
        suggested_level: Level::Green,
        chosen_level: Level::Green,
        override_reason: None,
        author_id: None,
        author_name: "Anna Holm".into(),
        recorded_at: format!("{observed}T10:00:00Z").parse().unwrap(),
    }
}

#[test]
fn a_plain_registration_is_valid_and_its_score_totals_3_to_9() {
    let mut r = registration("2026-11-20");
    r.ucla = Some(Ucla3 {
        missing_company: 3,
        left_out: 2,
        isolated: 3,
    });
    assert_eq!(r.validate(), Ok(()));
    assert_eq!(r.ucla.map(|u| u.total()), Some(8));
}

#[test]
fn answers_outside_1_to_3_are_out_of_range() {
    for bad in [0, 4, 9] {
        let mut r = registration("2026-11-20");
        r.ucla = Some(Ucla3 {
            missing_company: 2,
            left_out: bad,
            isolated: 2,
        });
        assert_eq!(r.validate().unwrap_err().code(), "score_out_of_range");
    }
}

#[test]
fn unknown_codes_are_named_by_list() {
    let mut r = registration("2026-11-20");
    r.signs.push(Sign::Unknown("grumpy".into()));
    let err = r.validate().unwrap_err();
    assert_eq!(err.code(), "unknown_sign");
    assert!(err.to_string().contains("grumpy"));
    let mut r = registration("2026-11-20");
    r.barriers.push(Barrier::Unknown("moon".into()));
    assert_eq!(r.validate().unwrap_err().code(), "unknown_barrier");
}

#[test]
fn a_follow_up_before_the_observation_is_rejected_and_the_same_day_is_fine() {
    let mut r = registration("2026-11-20");
    let step = |date: &str| NextStep {
        kind: NextStepKind::VisitingFriend,
        other_text: None,
        responsible: "Anna".into(),
        follow_up_on: Some(date.parse().unwrap()),
    };
    r.next_step = Some(step("2026-11-19"));
    assert_eq!(
        r.validate().unwrap_err().code(),
        "follow_up_before_observation"
    );
    r.next_step = Some(step("2026-11-20"));
    assert_eq!(r.validate(), Ok(()));
}

#[test]
fn choosing_another_level_than_suggested_needs_a_reason() {
    let mut r = registration("2026-11-20");
    r.chosen_level = Level::Yellow;
    assert_eq!(r.validate().unwrap_err().code(), "empty_field");
    r.override_reason = Some("Datter fortæller om mange tårer".into());
    assert_eq!(r.validate(), Ok(()));
}
