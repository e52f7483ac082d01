//! When an activity happens: once, or weekly on a weekday at a local time.
//! Weekly times are Copenhagen wall-clock times, so 14:00 stays 14:00 across
//! the daylight-saving changes (the UTC instant moves instead).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::klippekort::ClockTime;
use crate::time::{from_copenhagen, to_copenhagen};

/// An activity's timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// A single occasion.
    Once {
        /// Start (UTC).
        #[serde(with = "crate::wire_time::utc")]
        starts_at: DateTime<Utc>,
        /// End (UTC).
        #[serde(with = "crate::wire_time::utc")]
        ends_at: DateTime<Utc>,
    },
    /// Every week on one weekday, between two local times.
    Weekly {
        /// ISO weekday: 1 = Monday … 7 = Sunday.
        weekday: u8,
        /// Local start, `"HH:MM"`.
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "14:00"))]
        start: ClockTime,
        /// Local end, `"HH:MM"`.
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "16:00"))]
        end: ClockTime,
        /// The first day it may happen.
        #[serde(with = "crate::wire_time::date")]
        from: NaiveDate,
        /// The last day it may happen, if it ends.
        #[serde(default, with = "crate::wire_time::date_opt")]
        until: Option<NaiveDate>,
    },
}

/// One time an activity happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
}

/// Why a schedule is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The end is not after the start.
    #[error("the activity must end after it starts")]
    EndsBeforeStart,
    /// The weekday is not 1–7.
    #[error("weekday must be 1 (Monday) to 7 (Sunday)")]
    Weekday,
    /// The last day is before the first.
    #[error("the last day is before the first")]
    UntilBeforeFrom,
}

fn weekday_number(day: NaiveDate) -> u8 {
    u8::try_from(day.weekday().number_from_monday()).unwrap_or(0)
}

impl Schedule {
    /// Checks the schedule's shape.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        match self {
            Schedule::Once { starts_at, ends_at } => {
                if ends_at <= starts_at {
                    return Err(ScheduleError::EndsBeforeStart);
                }
            }
            Schedule::Weekly {
                weekday,
                start,
                end,
                from,
                until,
            } => {
                if !(1..=7).contains(weekday) {
                    return Err(ScheduleError::Weekday);
                }
                if end <= start {
                    return Err(ScheduleError::EndsBeforeStart);
                }
                if until.is_some_and(|u| u < *from) {
                    return Err(ScheduleError::UntilBeforeFrom);
                }
            }
        }
        Ok(())
    }

    /// The occurrences that start on the Copenhagen days `first..=last`,
    /// earliest first.
    pub fn occurrences(&self, first: NaiveDate, last: NaiveDate) -> Vec<Occurrence> {
        match self {
            Schedule::Once { starts_at, ends_at } => {
                let day = to_copenhagen(*starts_at).date_naive();
                if day >= first && day <= last {
                    vec![Occurrence {
                        starts_at: *starts_at,
                        ends_at: *ends_at,
                    }]
                } else {
                    Vec::new()
                }
            }
            Schedule::Weekly {
                weekday,
                start,
                end,
                from,
                until,
            } => {
                let mut out = Vec::new();
                let mut day = first.max(*from);
                let last = until.map_or(last, |u| u.min(last));
                while day <= last {
                    if weekday_number(day) == *weekday {
                        out.push(Occurrence {
                            starts_at: local(day, *start),
                            ends_at: local(day, *end),
                        });
                        day += Duration::days(7);
                    } else {
                        day += Duration::days(1);
                    }
                }
                out
            }
        }
    }
}

/// A Copenhagen wall-clock time on a day, as an instant.
fn local(day: NaiveDate, at: ClockTime) -> DateTime<Utc> {
    let minutes = at.minutes();
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    from_copenhagen(midnight + Duration::minutes(i64::from(minutes)))
}

/// Derived tags of an occurrence: the gap the Ishøj project found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tags {
    /// Starts at 16:00 or later, local time.
    pub after_16: bool,
    /// On a Saturday or Sunday, local time.
    pub weekend: bool,
}

/// The tags of an occurrence.
pub fn tags(occurrence: &Occurrence) -> Tags {
    let local = to_copenhagen(occurrence.starts_at);
    Tags {
        after_16: local.hour() >= 16,
        weekend: matches!(local.weekday(), Weekday::Sat | Weekday::Sun),
    }
}

#[cfg(test)]
mod tests {
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
}
