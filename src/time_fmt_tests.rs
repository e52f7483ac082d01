//! Tests of `time_fmt.rs`.

use super::*;

#[test]
fn danish_formats_in_copenhagen_time() {
    let at: DateTime<Utc> = "2026-11-22T06:05:00Z".parse().unwrap();
    assert_eq!(clock(at), "07:05");
    assert_eq!(day_and_clock(at), "22.11. 07:05");
    let summer: DateTime<Utc> = "2026-07-01T22:30:00Z".parse().unwrap();
    assert_eq!(day_and_clock(summer), "02.07. 00:30");
    let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
    assert_eq!(date(d), "09.03.2026");
    assert_eq!(short_date(d), "09.03");
}
