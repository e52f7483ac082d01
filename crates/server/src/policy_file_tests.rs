//! Tests of `policy_file.rs`.

use super::*;

fn write(text: &str) -> tempfile::NamedTempFile {
    use std::io::Write;
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

#[test]
fn no_file_is_the_default_and_the_cutoff_overrides() {
    assert_eq!(load(None, None).unwrap(), LonelinessPolicy::default());
    assert_eq!(load(None, Some(7)).unwrap().ucla_cutoff, 7);
}

#[test]
fn a_file_sets_every_number_and_bad_files_say_why() {
    let f = write(
        r#"{"ucla_cutoff":7,"yellow_signs":1,"red_signs":3,"yellow_follow_up_hours":72,"red_follow_up_hours":12,"not_screened_days":60}"#,
    );
    let p = load(Some(f.path()), None).unwrap();
    assert_eq!(
        (p.yellow_signs, p.red_signs, p.not_screened_days),
        (1, 3, 60)
    );

    let typo = write(r#"{"ucla_cutof":7}"#);
    assert!(matches!(
        load(Some(typo.path()), None),
        Err(PolicyFileError::Parse { .. })
    ));
    let f = write(
        r#"{"ucla_cutoff":7,"yellow_signs":5,"red_signs":3,"yellow_follow_up_hours":72,"red_follow_up_hours":12,"not_screened_days":60}"#,
    );
    assert!(matches!(
        load(Some(f.path()), None),
        Err(PolicyFileError::Invalid(_))
    ));
    assert!(matches!(
        load(Some(Path::new("/no/such/policy.json")), None),
        Err(PolicyFileError::Read { .. })
    ));
    assert!(matches!(
        load(None, Some(12)),
        Err(PolicyFileError::Invalid(_))
    ));
}

#[test]
fn a_clip_policy_is_a_shipped_name_or_a_file_and_anything_else_is_named() {
    assert_eq!(load_clip("viborg").unwrap().clip_minutes, 60);
    let text = ClipPolicy::shipped("nyborg").unwrap().unwrap();
    let mut own = text.clone();
    own.id = "egen".into();
    own.clip_minutes = 15;
    let f = write(&serde_json::to_string(&own).unwrap());
    assert_eq!(load_clip(f.path().to_str().unwrap()).unwrap(), own);
    let err = load_clip("aarhus").unwrap_err().to_string();
    assert!(err.contains("not a shipped klippekort policy"), "{err}");
    own.two_helpers_factor = 5;
    let f = write(&serde_json::to_string(&own).unwrap());
    let err = load_clip(f.path().to_str().unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("two_helpers_factor"), "{err}");
}
