//! Times as Danish people read them: Copenhagen local time, 24-hour clock.
//! Formatted by hand: chrono's format machinery costs download size.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use naervaer_domain::time::to_copenhagen;

/// "07:30".
pub fn clock(at: DateTime<Utc>) -> String {
    let local = to_copenhagen(at);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// "22.11. 07:30".
pub fn day_and_clock(at: DateTime<Utc>) -> String {
    let local = to_copenhagen(at);
    format!("{:02}.{:02}. {}", local.day(), local.month(), clock(at))
}

/// "22.11.2026".
pub fn date(day: NaiveDate) -> String {
    format!("{:02}.{:02}.{}", day.day(), day.month(), day.year())
}

/// "22.11".
pub fn short_date(day: NaiveDate) -> String {
    format!("{:02}.{:02}", day.day(), day.month())
}

/// A weekday's name, `n` = 1 (Monday) to 7: "mandag" / "Monday".
pub fn weekday_name(lang: crate::i18n::Lang, n: u8) -> &'static str {
    const DA: [&str; 7] = [
        "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
    ];
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let i = usize::from(n.clamp(1, 7) - 1);
    match lang {
        crate::i18n::Lang::Da => DA[i],
        crate::i18n::Lang::En => EN[i],
    }
}

#[cfg(test)]
#[path = "time_fmt_tests.rs"]
mod tests;
