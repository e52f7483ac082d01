//! Tests of `overview.rs`.

use super::*;
use crate::loneliness::registration::tests::registration;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn not_screened_at_its_boundary_dates() {
    let policy = LonelinessPolicy::default();
    let today = day("2026-11-22");
    // (last registration, not screened?)
    let table = [
        (None, true),
        (Some("2026-11-22"), false),
        (Some("2026-08-24"), false), // 90 days ago
        (Some("2026-08-23"), true),  // 91 days ago
        (Some("2025-11-22"), true),
    ];
    for (last, expected) in table {
        assert_eq!(
            not_screened(last.map(day), today, &policy),
            expected,
            "{last:?}"
        );
    }
    let short = LonelinessPolicy {
        not_screened_days: 30,
        ..policy
    };
    assert!(!not_screened(Some(day("2026-10-23")), today, &short));
    assert!(not_screened(Some(day("2026-10-22")), today, &short));
}

#[test]
fn follow_up_comes_from_the_next_step_or_the_policy_deadline() {
    let policy = LonelinessPolicy::default();
    let mut r = registration("2026-11-20");
    assert_eq!(follow_up_on(&r, &policy), None, "green needs none");
    r.chosen_level = Level::Yellow;
    assert_eq!(
        follow_up_on(&r, &policy),
        Some(day("2026-11-22")),
        "48 hours"
    );
    r.chosen_level = Level::Red;
    assert_eq!(
        follow_up_on(&r, &policy),
        Some(day("2026-11-21")),
        "24 hours"
    );
    r.next_step = Some(crate::loneliness::NextStep {
        kind: crate::loneliness::NextStepKind::PreventiveTeam,
        other_text: None,
        responsible: "Dorte".into(),
        follow_up_on: Some(day("2026-11-25")),
    });
    assert_eq!(follow_up_on(&r, &policy), Some(day("2026-11-25")));
}

#[test]
fn a_correction_replaces_what_it_corrects_and_the_overview_orders_by_urgency() {
    let policy = LonelinessPolicy::default();
    let (a, b, c) = (
        Uuid::from_u128(10),
        Uuid::from_u128(11),
        Uuid::from_u128(12),
    );
    let mut red = registration("2026-11-20");
    red.id = Uuid::from_u128(100);
    red.citizen_id = a;
    red.chosen_level = Level::Red;
    let mut wrong = registration("2026-11-21");
    wrong.id = Uuid::from_u128(101);
    wrong.citizen_id = b;
    wrong.chosen_level = Level::Red;
    let mut corrected = wrong.clone();
    corrected.id = Uuid::from_u128(102);
    corrected.corrects = Some(wrong.id);
    corrected.chosen_level = Level::Yellow;
    let regs = vec![red, wrong, corrected];

    assert_eq!(current_registrations(&regs)[&b].id, Uuid::from_u128(102));
    let rows = overview(&[c, b, a], &regs, day("2026-11-22"), &policy);
    let order: Vec<Uuid> = rows.iter().map(|r| r.citizen_id).collect();
    assert_eq!(order, vec![a, b, c]);
    assert_eq!(rows[0].follow_up_state, Some(FollowUpState::Overdue));
    assert_eq!(rows[1].level, Some(Level::Yellow));
    assert_eq!(rows[1].follow_up_on, Some(day("2026-11-23")));
    assert_eq!(rows[1].follow_up_state, Some(FollowUpState::Upcoming));
    assert!(rows[2].not_screened && rows[2].level.is_none());
}

#[test]
fn a_correction_naming_another_citizens_registration_hides_nothing() {
    let mut hers = registration("2026-11-20");
    hers.id = Uuid::from_u128(200);
    hers.citizen_id = Uuid::from_u128(20);
    let mut other = registration("2026-11-21");
    other.id = Uuid::from_u128(201);
    other.citizen_id = Uuid::from_u128(21);
    other.corrects = Some(hers.id);
    let regs = vec![hers, other];
    let current = current_registrations(&regs);
    assert_eq!(current[&Uuid::from_u128(20)].id, Uuid::from_u128(200));
    assert_eq!(current[&Uuid::from_u128(21)].id, Uuid::from_u128(201));
}
