//! Tests of `policy.rs`.

use super::*;

#[test]
fn every_shipped_policy_reads_checks_and_names_its_source() {
    for (id, _) in SHIPPED {
        let policy = ClipPolicy::shipped(id).unwrap().unwrap();
        assert_eq!(policy.id, id);
        assert!(policy.source.starts_with("http"), "{id}: {}", policy.source);
    }
    assert!(ClipPolicy::shipped("aarhus").is_none());
    assert!(ClipPolicy::shipped(DEFAULT_POLICY_ID).is_some());
}

#[test]
fn broken_numbers_are_named() {
    let mut p = ClipPolicy::shipped("viborg").unwrap().unwrap();
    p.two_helpers_factor = 3;
    assert_eq!(p.validate(), Err(ClipPolicyError::HelperFactor(3)));
    p.two_helpers_factor = 2;
    p.clip_minutes = 0;
    assert_eq!(p.validate(), Err(ClipPolicyError::Zero("clip_minutes")));
    let text = r#"{"id": "x"}"#;
    assert!(matches!(
        ClipPolicy::from_json(text),
        Err(ClipPolicyError::Parse(_))
    ));
}

#[test]
fn clock_times_read_and_write_as_hh_mm() {
    assert_eq!(ClockTime::parse("09:30"), Some(ClockTime(570)));
    assert_eq!(ClockTime::parse("24:00"), Some(ClockTime(1440)));
    assert_eq!(ClockTime::parse("10:60"), None);
    assert_eq!(ClockTime::parse("25:00"), None);
    assert_eq!(serde_json::to_string(&ClockTime(570)).unwrap(), "\"09:30\"");
}

#[test]
fn cost_counts_transport_and_helpers_as_the_policy_says() {
    let mut p = ClipPolicy::shipped("viborg").unwrap().unwrap();
    assert_eq!(p.cost_minutes(60, 20, 2), 120);
    p.transport_from_clips = true;
    assert_eq!(p.cost_minutes(60, 20, 2), 160);
    assert_eq!(p.cost_minutes(60, 20, 1), 80);
}

#[test]
fn minutes_round_up_to_whole_clips() {
    let p = ClipPolicy::shipped("furesoe").unwrap().unwrap();
    assert_eq!(p.clip_minutes, 30);
    assert_eq!(p.whole_clips(120), 120);
    assert_eq!(p.whole_clips(90), 90);
    assert_eq!(p.whole_clips(91), 120);
    assert_eq!(p.whole_clips(1), 30);
    assert_eq!(p.whole_clips(0), 30, "a companion is at least one clip");
}
