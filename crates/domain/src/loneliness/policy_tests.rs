//! Tests of `policy.rs`.

use super::*;

#[test]
fn the_default_is_valid_and_broken_numbers_are_named() {
    assert_eq!(LonelinessPolicy::default().validate(), Ok(()));
    assert_eq!(LonelinessPolicy::with_cutoff(7).validate(), Ok(()));
    assert_eq!(
        LonelinessPolicy::with_cutoff(10).validate(),
        Err(PolicyError::Cutoff(10))
    );
    let p = LonelinessPolicy {
        yellow_signs: 3,
        red_signs: 2,
        ..Default::default()
    };
    assert!(matches!(p.validate(), Err(PolicyError::Signs { .. })));
    let p = LonelinessPolicy {
        not_screened_days: 0,
        ..Default::default()
    };
    assert_eq!(p.validate(), Err(PolicyError::Period("not_screened_days")));
}

#[test]
fn the_shipped_policy_file_is_the_default() {
    let text = include_str!("../../../server/policies/loneliness-default.json");
    let parsed: LonelinessPolicy = serde_json::from_str(text).unwrap();
    assert_eq!(parsed, LonelinessPolicy::default());
}
