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
fn serde_modules_read_and_write_json() {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T {
        #[serde(with = "utc")]
        at: DateTime<Utc>,
        #[serde(default, with = "utc_opt")]
        maybe: Option<DateTime<Utc>>,
        #[serde(with = "date")]
        on: NaiveDate,
        #[serde(default, with = "date_opt")]
        until: Option<NaiveDate>,
    }
    let t: T = serde_json::from_str(r#"{"at":"2026-11-22T10:00:00Z","on":"2026-11-22"}"#).unwrap();
    assert_eq!(t.maybe, None);
    assert_eq!(t.until, None);
    let text = serde_json::to_string(&t).unwrap();
    assert_eq!(
        text,
        r#"{"at":"2026-11-22T10:00:00Z","maybe":null,"on":"2026-11-22","until":null}"#
    );
    assert_eq!(serde_json::from_str::<T>(&text).unwrap(), t);
    assert!(serde_json::from_str::<T>(r#"{"at":"yesterday","on":"2026-11-22"}"#).is_err());
}
