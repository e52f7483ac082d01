//! Tests of `retention.rs`.

use super::*;
use crate::loneliness::registration::tests::registration;
use crate::{Citizen, NoteCategory, PlannedVisit, VisitNote};
use chrono::TimeZone;
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()
}

pub(crate) fn note_written(days_ago: i64) -> Record {
    Record::Note(VisitNote {
        author_name: "Anna".into(),
        ..VisitNote::written(
            Uuid::from_u128(days_ago as u128 + 1),
            Uuid::from_u128(99),
            &[],
            NoteCategory::Observation,
            "Spiste godt".into(),
            now() - Duration::days(days_ago),
        )
    })
}

fn visit_ended(days_ago: i64) -> Record {
    let ends_at = now() - Duration::days(days_ago);
    Record::Visit(PlannedVisit {
        id: Uuid::from_u128(7),
        citizen_id: Uuid::from_u128(99),
        starts_at: ends_at - Duration::minutes(30),
        ends_at,
        worker_name: None,
        purpose: "Bad".into(),
    })
}

#[test]
fn notes_older_than_the_history_leave_and_the_limit_itself_stays() {
    let policy = RetentionPolicy::default();
    assert!(!policy.expired(&note_written(90), None, now(), || false));
    assert!(policy.expired(&note_written(91), None, now(), || false));
    assert!(!policy.expired(&note_written(0), None, now(), || false));
}

#[test]
fn visits_leave_two_weeks_after_they_ended() {
    let policy = RetentionPolicy::default();
    assert!(!policy.expired(&visit_ended(14), None, now(), || false));
    assert!(policy.expired(&visit_ended(15), None, now(), || false));
    // A visit two weeks ahead is the working set.
    assert!(!policy.expired(&visit_ended(-14), None, now(), || false));
}

#[test]
fn an_old_registration_stays_while_it_is_the_citizens_newest() {
    let policy = RetentionPolicy::default();
    let old = Record::Loneliness(registration("2026-08-01"));
    assert!(policy.expired(&old, None, now(), || false));
    assert!(!policy.expired(&old, None, now(), || true));
    let recent = Record::Loneliness(registration("2026-11-01"));
    assert!(!policy.expired(&recent, None, now(), || false));
}

#[test]
fn citizens_never_expire() {
    let citizen = Record::Citizen(Citizen {
        id: Uuid::from_u128(99),
        name: "Inger".into(),
        address: "Vej 1".into(),
        team: "Nord".into(),
    });
    assert!(!RetentionPolicy::default().expired(
        &citizen,
        None,
        now() + Duration::days(10_000),
        || false
    ));
}

#[test]
fn a_setting_too_short_to_work_with_is_refused_with_its_name() {
    let short = RetentionPolicy {
        history_days: 7,
        ..RetentionPolicy::default()
    };
    assert_eq!(
        short.validate().unwrap_err().to_string(),
        "history_days must be at least 30 days (was 7)"
    );
    assert!(RetentionPolicy::default().validate().is_ok());
}

#[test]
fn a_notes_age_is_reckoned_from_when_the_server_received_it() {
    let policy = RetentionPolicy::default();
    // Written on a tablet whose clock was 200 days behind, received today.
    let note = note_written(200);
    assert!(!policy.expired(&note, Some(now()), now(), || false));
    assert!(policy.expired(&note, Some(now() - Duration::days(91)), now(), || false));
}

#[test]
fn a_setting_from_an_older_server_keeps_sent_changes_thirty_days() {
    let old: RetentionPolicy =
        serde_json::from_str(r#"{"history_days": 90, "past_visit_days": 14, "new_field": 1}"#)
            .unwrap();
    assert_eq!(old.sent_log_days, 30);
    assert!(old.sent_expired(now() - Duration::days(31), now()));
    assert!(!old.sent_expired(now() - Duration::days(29), now()));
}
