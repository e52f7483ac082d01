//! The balance of a clip card: one pure function of (policy, card start,
//! ledger, today), used by the app and the server alike.
//!
//! Day by day from the card's first day: saved time past its expiry is lost;
//! each week (Monday, or the card's first day) earns its clips unless a pause
//! stops it; then the day's uses and adjustments apply, oldest clips first.
//! Earning first repays any overdraft; earning above the saving cap is lost.

use std::collections::{BTreeSet, VecDeque};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entry::{ClipEntry, EntryKind};
use super::policy::ClipPolicy;
use crate::time::copenhagen_date;

/// One week of a card's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekRow {
    /// The week's Monday.
    pub starts_on: NaiveDate,
    /// Minutes earned and kept.
    pub earned: i64,
    /// Minutes earned but lost to the saving cap.
    pub forfeited: i64,
    /// Minutes drawn by uses.
    pub used: i64,
    /// Saved minutes lost to the window or year end.
    pub expired: i64,
    /// Minutes added (+) or taken (−) by coordinators.
    pub adjusted: i64,
    /// Whether a pause covers the week.
    pub paused: bool,
    /// The balance at the week's end (or today), negative when overdrawn.
    pub end_minutes: i64,
}

/// Saved time that will be lost, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expiry {
    /// The first day it is gone.
    pub on: NaiveDate,
    /// How many minutes.
    pub minutes: i64,
}

/// A card's standing on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// The policy's clip length.
    pub clip_minutes: i64,
    /// Minutes saved and not used; negative when overdrawn.
    pub available_minutes: i64,
    /// Minutes reserved by plans not yet used or cancelled.
    pub reserved_minutes: i64,
    /// The next saved time to expire, if any.
    pub next_expiry: Option<Expiry>,
    /// Week by week, oldest first.
    pub weeks: Vec<WeekRow>,
}

impl Balance {
    /// Whether more was used than the card had.
    pub fn overdrawn(&self) -> bool {
        self.available_minutes < 0
    }

    /// Minutes free to plan: available less what plans reserve.
    pub fn free_minutes(&self) -> i64 {
        self.available_minutes - self.reserved_minutes
    }

    /// Whole clips in `minutes` (rounded towards minus infinity, so an
    /// overdraft of a part clip shows as −1).
    pub fn clips(&self, minutes: i64) -> i64 {
        minutes.div_euclid(self.clip_minutes.max(1))
    }
}

/// The Monday of a date's week.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The ids of entries that count: not cancelled. (A cancel itself cannot be
/// cancelled: a mistaken cancel is undone by a new plan or use.)
pub fn cancelled_ids(entries: &[ClipEntry]) -> BTreeSet<Uuid> {
    entries
        .iter()
        .filter(|e| e.kind == EntryKind::Cancel)
        .filter_map(|e| e.target)
        .collect::<std::collections::BTreeSet<_>>()
}

/// Plans still open: neither cancelled nor converted by a use that counts.
pub fn open_plans(entries: &[ClipEntry]) -> Vec<&ClipEntry> {
    let cancelled = cancelled_ids(entries);
    let converted = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Use && !cancelled.contains(&e.id))
        .filter_map(|e| e.target)
        .collect::<std::collections::BTreeSet<_>>();
    let mut plans: Vec<&ClipEntry> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Plan)
        .filter(|e| !cancelled.contains(&e.id) && !converted.contains(&e.id))
        .collect();
    plans.sort_by_key(|e| (e.at, e.id));
    plans
}

/// The minutes a plan or use draws under the policy.
pub fn entry_cost(policy: &ClipPolicy, entry: &ClipEntry) -> i64 {
    policy.cost_minutes(
        u32::try_from(entry.minutes).unwrap_or(0),
        u32::try_from(entry.transport_minutes).unwrap_or(0),
        entry.helpers,
    )
}

struct Lot {
    minutes: i64,
    expires: Option<NaiveDate>,
}

struct Ledger<'p> {
    policy: &'p ClipPolicy,
    lots: VecDeque<Lot>,
    debt: i64,
}

impl Ledger<'_> {
    fn saved(&self) -> i64 {
        self.lots.iter().map(|l| l.minutes).sum()
    }

    fn expiry_of(&self, earned_on: NaiveDate) -> Option<NaiveDate> {
        let window = self
            .policy
            .saving_window_weeks
            .map(|w| monday_of(earned_on) + Duration::weeks(i64::from(w)));
        let year_end = if self.policy.lost_at_year_end {
            NaiveDate::from_ymd_opt(earned_on.year() + 1, 1, 1)
        } else {
            None
        };
        match (window, year_end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Adds minutes: repays debt, then saves up to the cap. Returns (kept, lost).
    fn add(&mut self, minutes: i64, on: NaiveDate) -> (i64, i64) {
        let repay = minutes.min(self.debt);
        self.debt -= repay;
        let rest = minutes - repay;
        let room = match self.policy.saving_cap_minutes {
            Some(cap) => (i64::from(cap) - self.saved()).max(0),
            None => i64::MAX,
        };
        let keep = rest.min(room);
        if keep > 0 {
            let expires = self.expiry_of(on);
            self.lots.push_back(Lot {
                minutes: keep,
                expires,
            });
        }
        (repay + keep, rest - keep)
    }

    /// Draws minutes, oldest saved time first; what is missing becomes debt.
    fn draw(&mut self, mut minutes: i64) {
        while minutes > 0 {
            let Some(front) = self.lots.front_mut() else {
                break;
            };
            let take = front.minutes.min(minutes);
            front.minutes -= take;
            minutes -= take;
            if front.minutes == 0 {
                self.lots.pop_front();
            }
        }
        self.debt += minutes;
    }

    /// Drops saved time whose expiry has come; returns how much.
    fn expire(&mut self, today: NaiveDate) -> i64 {
        let mut lost = 0;
        while let Some(front) = self.lots.front() {
            match front.expires {
                Some(on) if on <= today => {
                    lost += front.minutes;
                    self.lots.pop_front();
                }
                _ => break,
            }
        }
        lost
    }
}

/// The card's balance on `today` (Copenhagen date). `entries` is the card's
/// ledger in any order; entries after `today` count on `today`, entries
/// before the start count on the first day.
pub fn balance(
    policy: &ClipPolicy,
    starts_on: NaiveDate,
    entries: &[ClipEntry],
    today: NaiveDate,
) -> Balance {
    let cancelled = cancelled_ids(entries);
    let live = |e: &&ClipEntry| !cancelled.contains(&e.id);
    let clamp = |d: NaiveDate| d.max(starts_on).min(today.max(starts_on));

    let mut paused: BTreeSet<NaiveDate> = BTreeSet::new();
    for e in entries
        .iter()
        .filter(live)
        .filter(|e| e.kind == EntryKind::Pause)
    {
        if let Some(from) = e.pause_from {
            for w in 0..e.pause_weeks {
                paused.insert(monday_of(from) + Duration::weeks(i64::from(w)));
            }
        }
    }
    // Uses and adjustments by day, in a fixed order so arrival order never matters.
    let mut events: Vec<(NaiveDate, &ClipEntry)> = entries
        .iter()
        .filter(live)
        .filter_map(|e| match e.kind {
            EntryKind::Use => Some((clamp(copenhagen_date(e.at.unwrap_or(e.recorded_at))), e)),
            EntryKind::Adjust => Some((clamp(copenhagen_date(e.recorded_at)), e)),
            _ => None,
        })
        .collect();
    events.sort_by_key(|(day, e)| (*day, e.recorded_at, e.id));

    let mut ledger = Ledger {
        policy,
        lots: VecDeque::new(),
        debt: 0,
    };
    let mut weeks: Vec<WeekRow> = Vec::new();
    let mut next_event = events.iter().peekable();
    let mut day = starts_on;
    while day <= today {
        let week_start = day.weekday() == Weekday::Mon || day == starts_on;
        if week_start {
            weeks.push(WeekRow {
                starts_on: monday_of(day),
                earned: 0,
                forfeited: 0,
                used: 0,
                expired: 0,
                adjusted: 0,
                paused: paused.contains(&monday_of(day)),
                end_minutes: 0,
            });
        }
        let expired = ledger.expire(day);
        let Some(row) = weeks.last_mut() else { break };
        row.expired += expired;
        if week_start && !(row.paused && policy.earn_only_with_home_care) {
            for _ in 0..policy.clips_per_week {
                let (kept, lost) = ledger.add(i64::from(policy.clip_minutes), day);
                row.earned += kept;
                row.forfeited += lost;
            }
        }
        while let Some((_, e)) = next_event.next_if(|(d, _)| *d == day) {
            if e.kind == EntryKind::Use {
                let cost = entry_cost(policy, e);
                ledger.draw(cost);
                row.used += cost;
            } else if e.minutes > 0 {
                let (kept, _lost) = ledger.add(i64::from(e.minutes), day);
                row.adjusted += kept;
            } else {
                ledger.draw(-i64::from(e.minutes));
                row.adjusted += i64::from(e.minutes);
            }
        }
        row.end_minutes = ledger.saved() - ledger.debt;
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }

    let next_expiry = ledger
        .lots
        .front()
        .and_then(|first| first.expires)
        .map(|on| Expiry {
            on,
            minutes: ledger
                .lots
                .iter()
                .filter(|l| l.expires == Some(on))
                .map(|l| l.minutes)
                .sum(),
        });
    Balance {
        clip_minutes: i64::from(policy.clip_minutes),
        available_minutes: ledger.saved() - ledger.debt,
        reserved_minutes: open_plans(entries)
            .iter()
            .map(|e| entry_cost(policy, e))
            .sum(),
        next_expiry,
        weeks,
    }
}
