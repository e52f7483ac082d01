//! Tests of `schedule.rs`.

use super::*;

fn day(s: &str) -> NaiveDate {
    crate::wire_time::parse_date(s).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    crate::wire_time::parse_instant(s).unwrap()
}

fn weekly(weekday: u8, start: &str, end: &str) -> Schedule {
    Schedule::Weekly {
        weekday,
        start: ClockTime::parse(start).unwrap(),
        end: ClockTime::parse(end).unwrap(),
        from: day("2026-09-01"),
        until: None,
    }
}

#[test]
fn a_weekly_time_stays_on_the_wall_clock_across_the_autumn_change() {
    // Sundays at 14:00; clocks go back on Sunday 25 October 2026.
    let cafe = weekly(7, "14:00", "16:00");
    let got = cafe.occurrences(day("2026-10-18"), day("2026-11-01"));
    let starts: Vec<DateTime<Utc>> = got.iter().map(|o| o.starts_at).collect();
    assert_eq!(
        starts,
        vec![
            utc("2026-10-18T12:00:00Z"), // summer time, UTC+2
            utc("2026-10-25T13:00:00Z"), // the day of the change: already UTC+1 at 14:00
            utc("2026-11-01T13:00:00Z"),
        ]
    );
    assert!(
        got.iter()
            .all(|o| o.ends_at - o.starts_at == Duration::hours(2))
    );
}

#[test]
fn a_weekly_time_stays_on_the_wall_clock_across_the_spring_change() {
    // Saturdays at 10:30; clocks go forward on Sunday 28 March 2027.
    let mut walk = weekly(6, "10:30", "12:00");
    if let Schedule::Weekly { from, .. } = &mut walk {
        *from = day("2027-01-01");
    }
    let got = walk.occurrences(day("2027-03-20"), day("2027-04-03"));
    let starts: Vec<DateTime<Utc>> = got.iter().map(|o| o.starts_at).collect();
    assert_eq!(
        starts,
        vec![
            utc("2027-03-20T09:30:00Z"),
            utc("2027-03-27T09:30:00Z"),
            utc("2027-04-03T08:30:00Z"),
        ]
    );
}

#[test]
fn weekly_occurrences_respect_the_first_and_last_day() {
    let mut s = weekly(2, "17:00", "19:00");
    if let Schedule::Weekly { from, until, .. } = &mut s {
        *from = day("2026-11-10");
        *until = Some(day("2026-11-24"));
    }
    let got = s.occurrences(day("2026-11-01"), day("2026-12-31"));
    assert_eq!(got.len(), 3, "10, 17 and 24 November");
    assert_eq!(s.validate(), Ok(()));
    if let Schedule::Weekly { until, .. } = &mut s {
        *until = Some(day("2026-11-01"));
    }
    assert_eq!(s.validate(), Err(ScheduleError::UntilBeforeFrom));
    assert_eq!(
        weekly(8, "10:00", "11:00").validate(),
        Err(ScheduleError::Weekday)
    );
    assert_eq!(
        weekly(1, "11:00", "10:00").validate(),
        Err(ScheduleError::EndsBeforeStart)
    );
}

#[test]
fn a_single_occasion_is_found_on_its_local_day() {
    // 23:30 UTC on 21 November is 00:30 on 22 November in Copenhagen.
    let once = Schedule::Once {
        starts_at: utc("2026-11-21T23:30:00Z"),
        ends_at: utc("2026-11-22T01:00:00Z"),
    };
    assert_eq!(
        once.occurrences(day("2026-11-22"), day("2026-11-22")).len(),
        1
    );
    assert!(
        once.occurrences(day("2026-11-21"), day("2026-11-21"))
            .is_empty()
    );
}

#[test]
fn after_16_and_weekend_are_read_in_local_time() {
    let tag = |s: &str| {
        let at = utc(s);
        tags(&Occurrence {
            starts_at: at,
            ends_at: at + Duration::hours(1),
        })
    };
    // Tuesday 16:00 local (15:00 UTC in winter): after 16, not weekend.
    assert_eq!(
        tag("2026-11-24T15:00:00Z"),
        Tags {
            after_16: true,
            weekend: false
        }
    );
    // Tuesday 15:59 local: neither.
    assert_eq!(tag("2026-11-24T14:59:00Z"), Tags::default());
    // Summer: 14:30 UTC is 16:30 local.
    assert_eq!(
        tag("2026-07-07T14:30:00Z"),
        Tags {
            after_16: true,
            weekend: false
        }
    );
    // Friday 23:30 UTC is Saturday 00:30 local: weekend.
    assert_eq!(
        tag("2026-11-27T23:30:00Z"),
        Tags {
            after_16: false,
            weekend: true
        }
    );
    // Sunday 10:00 local.
    assert_eq!(
        tag("2026-11-29T09:00:00Z"),
        Tags {
            after_16: false,
            weekend: true
        }
    );
}

#[test]
fn an_occurrence_is_found_by_its_start_only() {
    let weekly = Schedule::Weekly {
        weekday: 4,
        start: ClockTime::parse("17:00").unwrap(),
        end: ClockTime::parse("19:00").unwrap(),
        from: crate::wire_time::parse_date("2026-10-01").unwrap(),
        until: None,
    };
    // Thursday 29 October 2026 is after the autumn change: 17:00 local is 16:00 UTC.
    let start = crate::wire_time::parse_instant("2026-10-29T16:00:00Z").unwrap();
    let found = weekly.occurrence_at(start).unwrap();
    assert_eq!(
        found.ends_at,
        crate::wire_time::parse_instant("2026-10-29T18:00:00Z").unwrap()
    );
    // The week before (summer time) 16:00 UTC is 18:00 local: no occurrence starts then.
    let summer = crate::wire_time::parse_instant("2026-10-22T16:00:00Z").unwrap();
    assert_eq!(weekly.occurrence_at(summer), None);
}
