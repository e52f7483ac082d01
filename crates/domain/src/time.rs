//! Danish local time (Europe/Copenhagen) without a time-zone database:
//! CET (UTC+1), and CEST (UTC+2) from the last Sunday of March 01:00 UTC to
//! the last Sunday of October 01:00 UTC, as the EU rule has been since 1996.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday,
};

const HOUR: i32 = 3600;

/// The last Sunday of a month, at 01:00 UTC: when EU clocks change.
fn last_sunday_0100_utc(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut day = first_next.pred_opt()?;
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt()?;
    }
    Some(Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0)?))
}

/// The Copenhagen offset from UTC at a given instant.
pub fn copenhagen_offset(at: DateTime<Utc>) -> FixedOffset {
    let year = at.year();
    let summer = match (
        last_sunday_0100_utc(year, 3),
        last_sunday_0100_utc(year, 10),
    ) {
        (Some(start), Some(end)) => at >= start && at < end,
        _ => false,
    };
    let secs = if summer { 2 * HOUR } else { HOUR };
    FixedOffset::east_opt(secs).unwrap_or_else(|| Utc.fix())
}

/// An instant shown in Copenhagen local time.
pub fn to_copenhagen(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&copenhagen_offset(at))
}

/// The instant of a Copenhagen wall-clock time. In the autumn hour that occurs
/// twice the earlier one is taken; a time in the skipped spring hour is read
/// with the winter offset (so it lands one hour later on the clock).
pub fn from_copenhagen(local: NaiveDateTime) -> DateTime<Utc> {
    let summer_guess = Utc.from_utc_datetime(&(local - chrono::Duration::hours(2)));
    if copenhagen_offset(summer_guess).local_minus_utc() == 2 * HOUR {
        return summer_guess;
    }
    Utc.from_utc_datetime(&(local - chrono::Duration::hours(1)))
}

/// Today's date in Copenhagen.
pub fn copenhagen_date(at: DateTime<Utc>) -> NaiveDate {
    to_copenhagen(at).date_naive()
}

#[cfg(test)]
#[path = "time_tests.rs"]
mod tests;
