//! Tests of `json_object.rs`.

use serde::Deserialize;

#[derive(Debug, PartialEq, Deserialize)]
struct Inner {
    a: u32,
    b: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Outer {
    inner: Inner,
    list: Vec<Inner>,
    maybe: Option<Inner>,
    raw: Box<serde_json::value::RawValue>,
}

#[test]
fn reads_what_serde_json_reads_from_objects() {
    let text =
        r#"{"inner":{"a":1,"b":"x"},"list":[{"a":2,"b":null}],"maybe":{"a":3},"raw":{"k":[1,2]}}"#;
    let ours: Outer = super::from_str(text).unwrap();
    let theirs: Outer = serde_json::from_str(text).unwrap();
    assert_eq!(ours.inner, theirs.inner);
    assert_eq!(ours.list, theirs.list);
    assert_eq!(ours.maybe, theirs.maybe);
    assert_eq!(ours.raw.get(), r#"{"k":[1,2]}"#);
}

#[test]
fn refuses_a_struct_written_as_an_array_and_trailing_text() {
    assert!(super::from_str::<Inner>("[1, null]").is_err());
    assert!(super::from_str::<Inner>(r#"{"a":1} x"#).is_err());
    let missing = super::from_str::<Inner>(r#"{"b":"x"}"#).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `a`"),
        "{missing}"
    );
}
