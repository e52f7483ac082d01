//! When an activity happens: once, or weekly on a weekday at a local time.
//! Weekly times are Copenhagen wall-clock times, so 14:00 stays 14:00 across
//! the daylight-saving changes (the UTC instant moves instead).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::clips::ClockTime;
use crate::time::{from_copenhagen, to_copenhagen};

/// An activity's timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// A single occasion.
    Once {
        /// Start (UTC).
        starts_at: DateTime<Utc>,
        /// End (UTC).
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
        from: NaiveDate,
        /// The last day it may happen, if it ends.
        #[serde(default)]
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

impl Schedule {
    /// The occurrence that starts at `start`, if the schedule has one then
    /// (how a booking's time is checked and its end found).
    pub fn occurrence_at(&self, start: DateTime<Utc>) -> Option<Occurrence> {
        let day = to_copenhagen(start).date_naive();
        self.occurrences(day, day)
            .into_iter()
            .find(|o| o.starts_at == start)
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
#[path = "schedule_tests.rs"]
mod tests;
