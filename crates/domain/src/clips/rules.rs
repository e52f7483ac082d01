//! A plan or use checked against the policy before it is saved (on the
//! device) and again when it arrives (on the server). A breach is not a
//! refusal: a use that happened is always recorded; a plan that breaks a rule
//! needs a coordinator's reason.

use chrono::{DateTime, Datelike, Timelike, Utc};
use uuid::Uuid;

use super::balance::{balance, entry_cost, open_plans};
use super::entry::{ClipEntry, EntryKind};
use super::policy::ClipPolicy;
use crate::time::{copenhagen_date, to_copenhagen};

/// A rule of the policy that an entry breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    /// Not within the allowed weekdays and hours.
    OutsideHours,
    /// Booked with less notice than the policy asks (days asked for).
    ShortNotice(u32),
    /// The cost is not a whole number of clips.
    NotWholeClips,
    /// It needs more than the card has free (minutes free before it).
    Overdraws(i64),
}

impl Breach {
    /// A stable code, as stored in the server's flags.
    pub fn code(self) -> &'static str {
        match self {
            Breach::OutsideHours => "outside_hours",
            Breach::ShortNotice(_) => "short_notice",
            Breach::NotWholeClips => "not_whole_clips",
            Breach::Overdraws(_) => "overdraws",
        }
    }
}

/// Whether an activity from `at` lasting `minutes` lies within an allowed window.
pub fn within_hours(policy: &ClipPolicy, at: DateTime<Utc>, minutes: i32) -> bool {
    if policy.allowed_hours.is_empty() {
        return true;
    }
    let local = to_copenhagen(at);
    let day = u8::try_from(local.weekday().number_from_monday()).unwrap_or(0);
    let start = i64::from(local.hour() * 60 + local.minute());
    let end = start + i64::from(minutes.max(0));
    policy.allowed_hours.iter().any(|w| {
        w.days.contains(&day)
            && start >= i64::from(w.from.minutes())
            && end <= i64::from(w.to.minutes())
    })
}

/// The breaches of a plan or use `entry`, made at `made_at`, against the
/// card's other entries `ledger`. Other kinds never breach.
pub fn check(
    policy: &ClipPolicy,
    starts_on: chrono::NaiveDate,
    ledger: &[ClipEntry],
    entry: &ClipEntry,
    made_at: DateTime<Utc>,
) -> Vec<Breach> {
    if !matches!(entry.kind, EntryKind::Plan | EntryKind::Use) {
        return Vec::new();
    }
    let Some(at) = entry.at else {
        return Vec::new();
    };
    let cost = entry_cost(policy, entry);
    let mut breaches = Vec::new();
    if !within_hours(policy, at, entry.minutes) {
        breaches.push(Breach::OutsideHours);
    }
    let converts: Option<Uuid> = entry.target.filter(|_| entry.kind == EntryKind::Use);
    if converts.is_none() {
        let needed = policy.notice_days(cost);
        let given = (copenhagen_date(at) - copenhagen_date(made_at)).num_days();
        if needed > 0 && given < i64::from(needed) {
            breaches.push(Breach::ShortNotice(needed));
        }
    }
    if cost % i64::from(policy.clip_minutes.max(1)) != 0 {
        breaches.push(Breach::NotWholeClips);
    }
    let now = balance(policy, starts_on, ledger, copenhagen_date(made_at));
    let freed: i64 = converts
        .and_then(|plan| open_plans(ledger).into_iter().find(|p| p.id == plan))
        .map(|plan| entry_cost(policy, plan))
        .unwrap_or(0);
    let free = now.free_minutes() + freed;
    if cost > free {
        breaches.push(Breach::Overdraws(free));
    }
    breaches
}
