//! Tests of `time.rs`.

use super::*;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn winter_is_utc_plus_one_and_summer_utc_plus_two() {
    assert_eq!(
        copenhagen_offset(utc("2026-11-22T12:00:00Z")).local_minus_utc(),
        3600
    );
    assert_eq!(
        copenhagen_offset(utc("2026-07-01T12:00:00Z")).local_minus_utc(),
        7200
    );
}

#[test]
fn clocks_change_at_one_utc_on_the_last_sundays() {
    // 2026: 29 March and 25 October.
    assert_eq!(
        copenhagen_offset(utc("2026-03-29T00:59:59Z")).local_minus_utc(),
        3600
    );
    assert_eq!(
        copenhagen_offset(utc("2026-03-29T01:00:00Z")).local_minus_utc(),
        7200
    );
    assert_eq!(
        copenhagen_offset(utc("2026-10-25T00:59:59Z")).local_minus_utc(),
        7200
    );
    assert_eq!(
        copenhagen_offset(utc("2026-10-25T01:00:00Z")).local_minus_utc(),
        3600
    );
}

#[test]
fn wall_clock_times_map_back_to_instants() {
    assert_eq!(
        from_copenhagen(local("2026-11-22 08:00")),
        utc("2026-11-22T07:00:00Z")
    );
    assert_eq!(
        from_copenhagen(local("2026-06-01 08:00")),
        utc("2026-06-01T06:00:00Z")
    );
    // The doubled autumn hour takes the earlier (summer) instant.
    assert_eq!(
        from_copenhagen(local("2026-10-25 02:30")),
        utc("2026-10-25T00:30:00Z")
    );
    // The skipped spring hour is read with the winter offset.
    assert_eq!(
        from_copenhagen(local("2026-03-29 02:30")),
        utc("2026-03-29T01:30:00Z")
    );
}

#[test]
fn the_local_date_turns_at_local_midnight() {
    assert_eq!(
        copenhagen_date(utc("2026-11-22T23:30:00Z")),
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    );
}
