//! Clip-card helpers for the pages: plain-language amounts, what a breach
//! means for the user, and reading the form's date and time fields.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use naervaer_domain::klippekort::{Balance, Breach, ClipEntry, ClipPolicy, EntryKind};
use naervaer_domain::time::from_copenhagen;
use uuid::Uuid;

use crate::i18n::{Lang, pick};

/// "1 t 30 min", "45 min", "2 t" (the same in both languages but "t"/"h").
pub fn hours_minutes(lang: Lang, minutes: i64) -> String {
    let sign = if minutes < 0 { "−" } else { "" };
    let m = minutes.abs();
    let h = pick(lang, "t", "h");
    match (m / 60, m % 60) {
        (0, m) => format!("{sign}{m} min"),
        (hours, 0) => format!("{sign}{hours} {h}"),
        (hours, m) => format!("{sign}{hours} {h} {m} min"),
    }
}

/// "3 klip" / "3 clips".
pub fn clips_label(lang: Lang, clips: i64) -> String {
    match lang {
        Lang::Da => format!("{clips} klip"),
        Lang::En if clips.abs() == 1 => format!("{clips} clip"),
        Lang::En => format!("{clips} clips"),
    }
}

/// The allowed hours in words: "hverdage 11:00–17:00", or "alle dage og tider".
pub fn hours_text(lang: Lang, policy: &ClipPolicy) -> String {
    if policy.allowed_hours.is_empty() {
        return pick(lang, "alle dage og tider", "any day and time");
    }
    let names_da = ["man", "tir", "ons", "tor", "fre", "lør", "søn"];
    let names_en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    policy
        .allowed_hours
        .iter()
        .map(|w| {
            let days = if w.days == [1, 2, 3, 4, 5] {
                pick(lang, "hverdage", "weekdays")
            } else {
                w.days
                    .iter()
                    .filter_map(|d| {
                        let i = usize::from(d.saturating_sub(1));
                        match lang {
                            Lang::Da => names_da.get(i),
                            Lang::En => names_en.get(i),
                        }
                    })
                    .copied()
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
pub fn breach_text(lang: Lang, policy: &ClipPolicy, breach: Breach, clip: i64) -> String {
    match breach {
        Breach::OutsideHours => match lang {
            Lang::Da => format!(
                "Uden for de tider, hvor klip kan bruges: {}.",
                hours_text(lang, policy)
            ),
            Lang::En => format!(
                "Outside the times clips can be used: {}.",
                hours_text(lang, policy)
            ),
        },
        Breach::ShortNotice(days) => match lang {
            Lang::Da => format!("Skal aftales mindst {days} dage før."),
            Lang::En => format!("Must be agreed at least {days} days ahead."),
        },
        Breach::NotWholeClips => match lang {
            Lang::Da => format!("Tiden skal gå op i hele klip á {clip} min."),
            Lang::En => format!("The time must be whole clips of {clip} min."),
        },
        Breach::Overdraws(free) if free <= 0 => match lang {
            Lang::Da => format!(
                "Kortet er allerede brugt op ({}). Det bliver overtrukket mere.",
                hours_minutes(lang, free)
            ),
            Lang::En => format!(
                "The card is already used up ({}). It will be overdrawn further.",
                hours_minutes(lang, free)
            ),
        },
        Breach::Overdraws(free) => match lang {
            Lang::Da => format!(
                "Kortet har kun {} fri ({}). Det bliver overtrukket.",
                clips_label(lang, free.div_euclid(clip.max(1))),
                hours_minutes(lang, free)
            ),
            Lang::En => format!(
                "The card has only {} free ({}). It will be overdrawn.",
                clips_label(lang, free.div_euclid(clip.max(1))),
                hours_minutes(lang, free)
            ),
        },
    }
}

/// The card's headline: what is left, or how much it is overdrawn.
pub fn balance_headline(lang: Lang, b: &Balance) -> String {
    let clips = b.clips(b.available_minutes);
    if b.overdrawn() {
        let over = -b.available_minutes;
        let over_clips = (over + b.clip_minutes - 1) / b.clip_minutes.max(1);
        return match lang {
            Lang::Da => format!(
                "Overtrukket med {} ({})",
                clips_label(lang, over_clips),
                hours_minutes(lang, over)
            ),
            Lang::En => format!(
                "Overdrawn by {} ({})",
                clips_label(lang, over_clips),
                hours_minutes(lang, over)
            ),
        };
    }
    match lang {
        Lang::Da => format!(
            "{} tilbage ({})",
            clips_label(lang, clips),
            hours_minutes(lang, b.available_minutes)
        ),
        Lang::En => format!(
            "{} left ({})",
            clips_label(lang, clips),
            hours_minutes(lang, b.available_minutes)
        ),
    }
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

/// A new entry of `kind` on a card, by the logged-in user.
pub fn new_entry(
    kind: EntryKind,
    card_id: Uuid,
    citizen_id: Uuid,
    id: Uuid,
    author: &naervaer_domain::User,
) -> ClipEntry {
    let mut e = ClipEntry::new(kind, card_id, citizen_id, id, Utc::now());
    e.author_id = Some(author.id);
    e.author_name = author.name.clone();
    e
}

/// A kind's label for the history.
pub fn kind_label(lang: Lang, kind: EntryKind) -> String {
    let (da, en) = match kind {
        EntryKind::Plan => ("Planlagt", "Planned"),
        EntryKind::Use => ("Brugt", "Used"),
        EntryKind::Cancel => ("Fortrudt", "Cancelled"),
        EntryKind::Adjust => ("Justeret", "Adjusted"),
        EntryKind::Pause => ("Pause", "Pause"),
    };
    pick(lang, da, en)
}

#[cfg(test)]
#[path = "clips_tests.rs"]
mod tests;
