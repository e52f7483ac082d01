//! Tests of `codes.rs`.

use super::*;

#[test]
fn codes_round_trip_and_unknown_codes_are_kept_by_name() {
    for sign in Sign::ALL {
        assert_eq!(Sign::from(sign.code().to_string()), *sign);
    }
    let unknown = Sign::from("sad_face".to_string());
    assert_eq!(unknown, Sign::Unknown("sad_face".into()));
    assert!(!unknown.is_known());
    let json = serde_json::to_string(&vec![Sign::RecentLoss, unknown]).unwrap();
    assert_eq!(json, r#"["recent_loss","sad_face"]"#);
}

#[test]
fn every_list_has_danish_labels_and_unique_codes() {
    let codes: Vec<&str> = Sign::ALL.iter().map(Sign::code).collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(codes.len(), unique.len());
    assert_eq!(Sign::ALL.len(), 11);
    assert_eq!(Barrier::NotAlone.label_da(), "Vil ikke gå alene");
    assert!(Wish::ALL.iter().all(|w| !w.label_da().is_empty()));
    assert!(NextStepKind::ALL.iter().all(|k| !k.label_en().is_empty()));
}
