//! Times as Danish people read them: Copenhagen local time, 24-hour clock.
//! Formatted by hand: chrono's format machinery costs download size.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use naervaer_domain::time::to_copenhagen;

use crate::i18n::{Locale, td_string};

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
pub fn weekday_name(lang: Locale, n: u8) -> &'static str {
    match n {
        1 => td_string!(lang, weekday.mon),
        2 => td_string!(lang, weekday.tue),
        3 => td_string!(lang, weekday.wed),
        4 => td_string!(lang, weekday.thu),
        5 => td_string!(lang, weekday.fri),
        6 => td_string!(lang, weekday.sat),
        _ => td_string!(lang, weekday.sun),
    }
}

/// A weekday's short name, `n` = 1 (Monday) to 7: "man" / "Mon".
pub fn weekday_short(lang: Locale, n: u8) -> &'static str {
    match n {
        1 => td_string!(lang, weekday_short.mon),
        2 => td_string!(lang, weekday_short.tue),
        3 => td_string!(lang, weekday_short.wed),
        4 => td_string!(lang, weekday_short.thu),
        5 => td_string!(lang, weekday_short.fri),
        6 => td_string!(lang, weekday_short.sat),
        _ => td_string!(lang, weekday_short.sun),
    }
}

#[cfg(test)]
#[path = "time_fmt_tests.rs"]
mod tests;
