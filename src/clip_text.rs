//! Clip-card helpers for the pages: plain-language amounts, what a breach
//! means for the user, and reading the form's date and time fields.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use naervaer_domain::clips::{Balance, Breach, ClipPolicy, EntryKind};
use naervaer_domain::time::from_copenhagen;

use crate::i18n::{Locale, td_string};

/// "1 t 30 min", "45 min", "2 t" (the same in both languages but "t"/"h").
pub fn hours_minutes(lang: Locale, minutes: i64) -> String {
    let sign = if minutes < 0 { "−" } else { "" };
    let m = minutes.abs();
    let h = td_string!(lang, h);
    match (m / 60, m % 60) {
        (0, m) => format!("{sign}{m} min"),
        (hours, 0) => format!("{sign}{hours} {h}"),
        (hours, m) => format!("{sign}{hours} {h} {m} min"),
    }
}

/// "3 klip" / "3 clips" (the catalogue's plural forms).
pub fn clips_label(lang: Locale, clips: i64) -> String {
    td_string!(lang, clips, count = clips)
}

/// The allowed hours in words: "hverdage 11:00–17:00", or "alle dage og tider".
pub fn hours_text(lang: Locale, policy: &ClipPolicy) -> String {
    if policy.allowed_hours.is_empty() {
        return td_string!(lang, any_day_and_time).to_owned();
    }
    policy
        .allowed_hours
        .iter()
        .map(|w| {
            let days = if w.days == [1, 2, 3, 4, 5] {
                td_string!(lang, weekdays).to_owned()
            } else {
                w.days
                    .iter()
                    .map(|d| crate::time_fmt::weekday_short(lang, *d))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let (f, t) = (w.from.minutes(), w.to.minutes());
            format!(
                "{days} {:02}:{:02}–{:02}:{:02}",
                f / 60,
                f % 60,
                t / 60,
                t % 60
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a breach means, in plain words.
pub fn breach_text(lang: Locale, policy: &ClipPolicy, breach: Breach, clip: i64) -> String {
    match breach {
        Breach::OutsideHours => {
            td_string!(lang, breach_outside_hours, hours = hours_text(lang, policy))
        }
        Breach::ShortNotice(days) => td_string!(lang, breach_short_notice, days),
        Breach::NotWholeClips => td_string!(lang, breach_not_whole_clips, clip),
        Breach::Overdraws(free) if free <= 0 => {
            td_string!(lang, breach_used_up, time = hours_minutes(lang, free))
        }
        Breach::Overdraws(free) => td_string!(
            lang,
            breach_overdraws,
            clips = clips_label(lang, free.div_euclid(clip.max(1))),
            time = hours_minutes(lang, free)
        ),
    }
}

/// The card's headline: what is left, or how much it is overdrawn.
pub fn balance_headline(lang: Locale, b: &Balance) -> String {
    if b.overdrawn() {
        let over = -b.available_minutes;
        let over_clips = (over + b.clip_minutes - 1) / b.clip_minutes.max(1);
        return td_string!(
            lang,
            balance_overdrawn,
            clips = clips_label(lang, over_clips),
            time = hours_minutes(lang, over)
        );
    }
    td_string!(
        lang,
        balance_left,
        clips = clips_label(lang, b.clips(b.available_minutes)),
        time = hours_minutes(lang, b.available_minutes)
    )
}

/// Reads the form's `YYYY-MM-DD` and `HH:MM` as a Copenhagen time.
pub fn parse_local(date: &str, time: &str) -> Option<DateTime<Utc>> {
    let date = naervaer_domain::wire_time::parse_date(date)?;
    let (h, min) = time.trim().split_once(':')?;
    let time = NaiveTime::from_hms_opt(h.parse().ok()?, min.get(..2)?.parse().ok()?, 0)?;
    Some(from_copenhagen(date.and_time(time)))
}

/// The form's value for a date: `YYYY-MM-DD`.
pub fn date_value(day: NaiveDate) -> String {
    naervaer_domain::wire_time::format_date(day)
}

/// A kind's label for the history.
pub fn kind_label(lang: Locale, kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Plan => td_string!(lang, entry_kind.plan),
        EntryKind::Use => td_string!(lang, entry_kind.used),
        EntryKind::Cancel => td_string!(lang, entry_kind.cancel),
        EntryKind::Adjust => td_string!(lang, entry_kind.adjust),
        EntryKind::Pause => td_string!(lang, entry_kind.pause),
    }
}

#[cfg(test)]
#[path = "clip_text_tests.rs"]
mod tests;
