//! Tests of `wire_time.rs`.

use super::*;

fn chrono_parse(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[test]
fn instants_read_like_chrono_and_write_round_trip() {
    for s in [
        "2026-11-22T10:00:00Z",
        "2026-11-22T10:00:00.5Z",
        "2026-11-22T10:00:00.123456789Z",
        "2026-07-01T02:30:00+02:00",
        "2026-01-01T00:30:00-01:30",
        "2026-11-22t10:00:00z",
    ] {
        let ours = parse_instant(s).unwrap();
        assert_eq!(ours, chrono_parse(s), "{s}");
        assert_eq!(parse_instant(&format_instant(ours)), Some(ours));
    }
    assert_eq!(
        format_instant(chrono_parse("2026-11-22T10:00:00.120Z")),
        "2026-11-22T10:00:00.12Z"
    );
    assert_eq!(
        format_instant(chrono_parse("2026-11-22T10:00:00Z")),
        "2026-11-22T10:00:00Z"
    );
}

#[test]
fn broken_instants_and_dates_are_refused() {
    for s in [
        "",
        "2026-11-22",
        "2026-11-22T10:00Z",
        "2026-11-22T10:00:00",
        "2026-11-22T25:00:00Z",
        "2026-02-30T10:00:00Z",
        "2026-11-22T10:00:00.Z",
        "2026-11-22T10:00:00+0200",
        "+2026-11-22T10:00:00Z",
    ] {
        assert_eq!(parse_instant(s), None, "{s}");
    }
    assert_eq!(
        parse_date("2026-11-22"),
        NaiveDate::from_ymd_opt(2026, 11, 22)
    );
    for s in [
        "2026-1-22",
        "2026-11-22x",
        "22-11-2026",
        "2026-13-01",
        "+026-11-22",
    ] {
        assert_eq!(parse_date(s), None, "{s}");
    }
}

#[test]
fn records_use_chrono_s_serde_in_the_same_wire_format() {
    // The records' times are chrono's own serde: RFC 3339 in UTC and
    // `YYYY-MM-DD`, as this module's functions write them; times written by
    // earlier versions (a fraction cut after its last digit) still read.
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T {
        at: DateTime<Utc>,
        #[serde(default)]
        maybe: Option<DateTime<Utc>>,
        on: NaiveDate,
        #[serde(default)]
        until: Option<NaiveDate>,
    }
    let t: T = serde_json::from_str(r#"{"at":"2026-11-22T10:00:00Z","on":"2026-11-22"}"#).unwrap();
    assert_eq!((t.maybe, t.until), (None, None));
    let text = serde_json::to_string(&t).unwrap();
    assert_eq!(
        text,
        r#"{"at":"2026-11-22T10:00:00Z","maybe":null,"on":"2026-11-22","until":null}"#
    );
    assert_eq!(format_instant(t.at), "2026-11-22T10:00:00Z");
    assert_eq!(format_date(t.on), "2026-11-22");
    let old: T =
        serde_json::from_str(r#"{"at":"2026-11-22T10:00:00.5Z","on":"2026-11-22"}"#).unwrap();
    assert_eq!(Some(old.at), parse_instant("2026-11-22T10:00:00.5Z"));
    assert!(serde_json::from_str::<T>(r#"{"at":"yesterday","on":"2026-11-22"}"#).is_err());
}
